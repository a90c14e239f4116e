// Chrome's Certificate Transparency policy for embedded SCTs
// (https://googlechrome.github.io/CertificateTransparency/ct_policy.html,
// as of 2026-07; GoogleChrome/CertificateTransparency ct_policy.md):
//   1. at least one SCT from a log Qualified, Usable or ReadOnly at the time of check;
//   2. SCTs from at least N distinct logs Qualified, Usable, ReadOnly or Retired
//      (Retired only for SCTs issued before the retirement), where N is 2 for a
//      certificate lifetime of 180 days or less and 3 beyond;
//   3. among those, SCTs from at least two distinct log operators.
// Without a log list only the count of distinct logs can be judged.
import type { Cert } from '../model/cert.js'
import type { CtEvidence } from '../model/evidence.js'

const DAY_MS = 86_400_000
const CURRENT_STATES = new Set(['qualified', 'usable', 'readonly'])

/** N of the policy: Chromium compares notAfter − notBefore with 180 days. */
export function requiredLogs(cert: Cert): number {
  return cert.notAfter.getTime() - cert.notBefore.getTime() > 180 * DAY_MS ? 3 : 2
}

/** What the certificate's SCTs lack under the policy, or an empty list when they satisfy it. */
export function policyShortfalls(cert: Cert, ct: CtEvidence): string[] {
  const counted = ct.scts.filter((s) => !s.problem && (!ct.verified || s.log))
  const logs = new Set(counted.map((s) => s.logId)).size
  const needed = requiredLogs(cert)
  const lifetime = Math.round((cert.notAfter.getTime() - cert.notBefore.getTime()) / DAY_MS)
  const which = ct.verified ? 'verified SCTs' : 'SCTs'
  const shortfalls: string[] = []
  if (logs < needed)
    shortfalls.push(
      `${which} from ${logs} distinct log${logs === 1 ? '' : 's'}; a certificate valid for ${lifetime} days (${needed === 2 ? 'at most' : 'more than'} 180) needs ${needed}`,
    )
  if (!ct.verified) return shortfalls
  const operators = new Set(counted.map((s) => s.log?.operator))
  if (counted.length > 0 && operators.size < 2)
    shortfalls.push(`verified SCTs from only one log operator (${[...operators].join(', ')}); two are needed`)
  if (counted.length > 0 && !counted.some((s) => CURRENT_STATES.has(s.log?.state ?? '')))
    shortfalls.push('no verified SCT from a log that is qualified, usable or read-only now')
  return shortfalls
}
