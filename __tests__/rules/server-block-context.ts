// A ServerBlockContext for one certificate served by a block written here:
// nginx or Apache, stapling settings as given, each directive on a line of
// its own in site.conf so a test can say where the finding must land.
import type { Cert } from '../../src/model/cert.js'
import type { Severity } from '../../src/model/types.js'
import type { ServerBlockContext, ServerBlockRule } from '../../src/rules/rule.js'
import type { Located, NamedFile, ServerBlock } from '../../src/server-config/model.js'

export const at = <T>(value: T, line: number): Located<T> => ({ value, file: 'site.conf', line })
const named = (value: string, line: number): NamedFile => ({ ...at(value, line), path: `/srv/${value}` })

export function blockContextFor(
  cert: Cert,
  block: Partial<ServerBlock> = {},
  overrides: Partial<ServerBlockContext> = {},
): ServerBlockContext {
  const pair = { certificate: named('site.pem', 3), key: named('site.key', 4) }
  const full: ServerBlock = {
    software: 'nginx',
    at: at('server', 1),
    name: 'site.test',
    pairs: [pair],
    ...block,
  }
  return { cert, profile: 'public-tls', block: full, pair, issuerAvailable: true, ...overrides }
}

/** The rule run as lint.ts runs it: in the profile's severity, where it applies, with where each result lands. */
export function judgeBlock(
  rule: ServerBlockRule,
  ctx: ServerBlockContext,
): { severity: Severity; message: string; line: number }[] {
  const severity = rule.severity[ctx.profile]
  if (!severity || !rule.appliesTo(ctx)) return []
  return rule
    .check(ctx)
    .map((r) => ({ severity: r.severity ?? severity, message: r.message, line: r.at.line }))
}
