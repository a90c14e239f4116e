import type { RuleContext } from '../rule.js'
import { isShortLived } from './short-lived.js'

/**
 * A leaf that needs a revocation pointer: BR 4.9.1.1 and 7.1.2.11.2 spare
 * Short-lived Subscriber Certificates, which expire before revocation would
 * reach clients anyway.
 */
export function leafNeedsRevocation(ctx: RuleContext): boolean {
  return ctx.role === 'leaf' && !isShortLived(ctx.cert)
}
