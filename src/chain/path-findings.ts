import type { RuleContext, RuleResult } from '../rules/rule.js'
import type { PathProblem } from './types.js'

/**
 * The problems of one rule on the certificate's validated path, once each:
 * path rules report what buildPath found and never re-check anything.
 */
export function pathProblemsOf(ctx: RuleContext, rule: PathProblem['rule']): RuleResult[] {
  const messages = new Set((ctx.path?.problems ?? []).filter((p) => p.rule === rule).map((p) => p.message))
  return [...messages].map((message) => ({ message }))
}

/**
 * The problems of one rule about the other certificates on the path (an
 * issuer expired, or lacking keyCertSign), for rules that judge the
 * certificate itself directly: the path through them fails (RFC 5280 §6.1),
 * so the certificate that relies on it must show why, whether or not the
 * issuer is among the files checked.
 */
export function issuerProblemsOf(ctx: RuleContext, rule: PathProblem['rule']): RuleResult[] {
  const about = (ctx.path?.problems ?? []).filter((p) => p.rule === rule && p.cert.sha256 !== ctx.cert.sha256)
  return [...new Set(about.map((p) => `on its path: ${p.message}`))].map((message) => ({ message }))
}

/** Whether the certificate's path has a problem owned by `rule`. */
export const pathHas = (ctx: RuleContext, rule: PathProblem['rule']): boolean =>
  ctx.path?.problems.some((p) => p.rule === rule) ?? false

/** Position of the certificate within its file (the key of the served-chain maps). */
export function indexInFile(ctx: RuleContext): number {
  // The loader numbers certificates in file order: a lookup, not a scan of a bundle of thousands.
  if (ctx.fileCerts[ctx.cert.source.index] === ctx.cert) return ctx.cert.source.index
  const i = ctx.fileCerts.indexOf(ctx.cert)
  return i >= 0 ? i : ctx.cert.source.index
}
