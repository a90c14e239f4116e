import type { Finding, Profile } from '../model/types.js'
import type { IgnoreEntry } from '../options.js'
import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// An accepted finding is a decision with a reason; an ignore that matches
// nothing is a decision about something that is gone (the certificate was
// replaced, the path moved) or was never right (a typo in a fingerprint or
// glob) — and it will silently accept whatever comes to match it later.
// Reported on the config file, at the entry, after the whole run.
export const rule: RuleInfo = {
  id: 'ignore-unused',
  description:
    'An ignore in the config file matched no finding: remove it, or fix its rule, path or fingerprint.',
  citation: 'certgate configuration (.certgate.yml ignore)',
  severity: severityIn('warning'),
}

/** One finding per ignore entry that `used` does not hold, at the entry's line. */
export function unusedIgnoreFindings(
  ignores: readonly IgnoreEntry[],
  used: ReadonlySet<IgnoreEntry>,
  profile: Profile,
): Finding[] {
  const severity = rule.severity[profile]
  if (!severity) return []
  return ignores
    .filter((entry) => !used.has(entry))
    .map((entry) => ({
      rule: rule.id,
      severity,
      message: `this ignore (${describe(entry)}) matched no finding in the run; remove it, or fix what it names`,
      ...(entry.line !== undefined ? { line: entry.line } : {}),
    }))
}

function describe(entry: IgnoreEntry): string {
  const parts = [
    entry.rule && `rule ${entry.rule}`,
    entry.path && `path ${entry.path}`,
    entry.fingerprint && `fingerprint ${entry.fingerprint}`,
  ]
  return parts.filter(Boolean).join(', ')
}
