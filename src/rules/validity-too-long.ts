import type { Severity } from '../model/types.js'
import type { Rule } from './rule.js'
import { brValidityPeriodMs, DAY_MS, issuedOnOrAfter } from './support/validity.js'

// CA/B BR 6.3.2 (v2.2.6, ballot SC-081): "Subscriber Certificates issued on or
// after 2026-03-15 and before 2027-03-15 ... MUST NOT have a Validity Period
// greater than 200 days", then 100 days from 2027-03-15 and 47 days from
// 2029-03-15. Earlier limits: 825 days from 2018-03-01 (ballot 193), 398 days
// from 2020-09-01 (ballot SC-031). "A day is measured as 86,400 seconds. Any
// amount of time greater than this ... shall represent an additional day";
// since SC-031 the Validity Period includes both ends (RFC 5280 §4.1.2.5).
// Before ballot 193: "Subscriber Certificates issued after 1 July 2016 but
// prior to 1 March 2018 MUST have a Validity Period no greater than 39
// months" (BR 1.4 6.3.2); from 1 April 2015 the same limit held, but until
// 1 July 2016 a CA could document a legacy-system exception up to 60 months
// (BR 1.0 9.4.1), which a certificate does not show: a warning there.
interface Limit {
  since: string
  /** Days (BR 6.3.2's count) or calendar months, as the requirement states it. */
  days?: number
  months?: number
  ballot: string
  severity?: Severity
  note?: string
}
const LIMITS: readonly Limit[] = [
  { since: '2029-03-15', days: 47, ballot: 'SC-081' },
  { since: '2027-03-15', days: 100, ballot: 'SC-081' },
  { since: '2026-03-15', days: 200, ballot: 'SC-081' },
  { since: '2020-09-01', days: 398, ballot: 'SC-031' },
  { since: '2018-03-01', days: 825, ballot: 'ballot 193' },
  { since: '2016-07-01', months: 39, ballot: 'BR 1.4' },
  {
    since: '2015-04-01',
    months: 39,
    ballot: 'BR 1.0 9.4.1',
    severity: 'warning',
    note: '; until 2016-07-01 a CA could document an exception for legacy systems up to 60 months',
  },
]

export const rule: Rule = {
  id: 'validity-too-long',
  description:
    'The subscriber certificate is valid for longer than the Baseline Requirements allow for its issuance date.',
  citation: 'CA/B BR 6.3.2 (ballots 193, SC-031, SC-081); BR 1.0 9.4.1 (39 months from 2015-04-01)',
  severity: { 'public-tls': 'error' },
  effective: LIMITS[LIMITS.length - 1].since,
  appliesTo: (ctx) => ctx.role === 'leaf',
  check({ cert }) {
    const limit = LIMITS.find(({ since }) => issuedOnOrAfter(cert, since))
    if (!limit) return []
    const where = `for certificates issued on or after ${limit.since} (BR 6.3.2, ${limit.ballot}${limit.note ?? ''})`
    if (limit.months !== undefined) {
      const end = new Date(cert.notBefore)
      end.setUTCMonth(end.getUTCMonth() + limit.months)
      if (cert.notAfter <= end) return []
      return [
        {
          severity: limit.severity,
          message: `Validity period from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()} exceeds the ${limit.months}-month maximum ${where}.`,
        },
      ]
    }
    // BR 6.3.2 counts any part of a day beyond whole days as a further day.
    const days = Math.ceil(brValidityPeriodMs(cert) / DAY_MS)
    if (days <= (limit.days ?? Infinity)) return []
    return [
      {
        severity: limit.severity,
        message: `Validity period of ${days} days (counted as BR 6.3.2 does) exceeds the ${limit.days}-day maximum ${where}.`,
      },
    ]
  },
}
