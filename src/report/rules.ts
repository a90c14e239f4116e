// `certgate rules`: the registry as a table, so users (and the README, which
// is checked against it in CI) see every rule with its meaning and citation.
import type { Profile } from '../model/types.js'
import { PROFILES } from '../model/types.js'
import { allRuleInfos } from '../rules/registry.js'
import type { RuleInfo } from '../rules/rule.js'

const citationOf = (r: RuleInfo): string => (r.effective ? `${r.citation} (from ${r.effective})` : r.citation)

const severityIn = (severity: Partial<Record<Profile, string>>, profile: Profile): string =>
  severity[profile] ?? '–'

/** Every rule, or only those `ids` names (in that order). */
export function renderRules(format: 'text' | 'json' | 'markdown', ids: readonly string[] = []): string {
  const rules = ids.length ? ids.flatMap((id) => allRuleInfos.filter((r) => r.id === id)) : allRuleInfos
  if (format === 'json') return JSON.stringify(rules, null, 2) + '\n'
  if (format === 'markdown') {
    const header = `| rule | meaning | citation | ${PROFILES.join(' | ')} |\n|---|---|---|${PROFILES.map(() => '---').join('|')}|\n`
    const rows = rules.map((r) => {
      const cells = [
        `\`${r.id}\``,
        r.description,
        citationOf(r),
        ...PROFILES.map((p) => severityIn(r.severity, p)),
      ]
      return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
    })
    return header + rows.join('\n') + '\n'
  }
  // Rules asked for by name get every profile's severity; the list shows public-tls's.
  if (ids.length) {
    return rules
      .map((r) => {
        const severities = PROFILES.map((p) => `${p} ${severityIn(r.severity, p)}`).join(', ')
        return `${r.id}\n  ${r.description}\n  citation: ${citationOf(r)}\n  severity: ${severities}\n`
      })
      .join('\n')
  }
  const width = rules.reduce((widest, r) => Math.max(widest, r.id.length), 0)
  return (
    rules
      .map(
        (r) =>
          `${r.id.padEnd(width)}  ${severityIn(r.severity, 'public-tls').padEnd(7)}  ${r.description}  [${r.citation}]`,
      )
      .join('\n') + '\n'
  )
}
