import type { Rule } from './rule.js'
import { issuedOnOrAfter, DAY_MS, validityPeriodMs } from './support/validity.js'

// CA/B BR 6.3.2 (v2.2.6, ballot SC-081): "Subscriber Certificates issued on or
// after 2026-03-15 and before 2027-03-15 ... MUST NOT have a Validity Period
// greater than 200 days", then 100 days from 2027-03-15 and 47 days from
// 2029-03-15. Earlier limits: 825 days from 2018-03-01 (ballot 193), 398 days
// from 2020-09-01 (ballot SC-031). "A day is measured as 86,400 seconds. Any
// amount of time greater than this ... shall represent an additional day";
// the Validity Period includes both ends (RFC 5280 §4.1.2.5).
const LIMITS: readonly { since: string; days: number; ballot: string }[] = [
  { since: '2029-03-15', days: 47, ballot: 'SC-081' },
  { since: '2027-03-15', days: 100, ballot: 'SC-081' },
  { since: '2026-03-15', days: 200, ballot: 'SC-081' },
  { since: '2020-09-01', days: 398, ballot: 'SC-031' },
  { since: '2018-03-01', days: 825, ballot: 'ballot 193' },
]

export const rule: Rule = {
  id: 'validity-too-long',
  description:
    'The subscriber certificate is valid for longer than the Baseline Requirements allow for its issuance date.',
  citation: 'CA/B BR 6.3.2 (ballots 193, SC-031, SC-081)',
  severity: { 'public-tls': 'error' },
  effective: LIMITS[LIMITS.length - 1].since,
  appliesTo: (ctx) => ctx.role === 'leaf',
  check({ cert }) {
    const limit = LIMITS.find(({ since }) => issuedOnOrAfter(cert, since))
    // BR 6.3.2 counts any part of a day beyond whole days as a further day.
    const days = Math.ceil(validityPeriodMs(cert) / DAY_MS)
    if (!limit || days <= limit.days) return []
    return [
      {
        message: `Validity period of ${days} days (counted as BR 6.3.2 does) exceeds the ${limit.days}-day maximum for certificates issued on or after ${limit.since} (BR 6.3.2, ${limit.ballot}).`,
      },
    ]
  },
}
