// `certgate rules`: the registry as a table, so users (and the README, which
// is checked against it in CI) see every rule with its meaning and citation.
import type { Profile } from '../model/types.js'
import { PROFILES } from '../model/types.js'
import { allRuleInfos } from '../rules/registry.js'

const severityIn = (severity: Partial<Record<Profile, string>>, profile: Profile): string =>
  severity[profile] ?? '–'

export function renderRules(format: 'text' | 'json' | 'markdown'): string {
  if (format === 'json') return JSON.stringify(allRuleInfos, null, 2) + '\n'
  if (format === 'markdown') {
    const header = `| rule | meaning | citation | ${PROFILES.join(' | ')} |\n|---|---|---|${PROFILES.map(() => '---').join('|')}|\n`
    const rows = allRuleInfos.map((r) => {
      const cite = r.effective ? `${r.citation} (from ${r.effective})` : r.citation
      const cells = [`\`${r.id}\``, r.description, cite, ...PROFILES.map((p) => severityIn(r.severity, p))]
      return `| ${cells.map((c) => c.replace(/\|/g, '\\|')).join(' | ')} |`
    })
    return header + rows.join('\n') + '\n'
  }
  const width = Math.max(...allRuleInfos.map((r) => r.id.length))
  return (
    allRuleInfos
      .map(
        (r) =>
          `${r.id.padEnd(width)}  ${severityIn(r.severity, 'public-tls').padEnd(7)}  ${r.description}  [${r.citation}]`,
      )
      .join('\n') + '\n'
  )
}
