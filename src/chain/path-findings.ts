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
