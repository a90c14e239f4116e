import type { EvidenceRule } from './rule.js'
import { describeSpan } from '../model/span.js'
import { DAY_MS, SECOND_MS } from './support/validity.js'

// CA/B BR 4.9.9 (v2.2.6; 4.9.10 in earlier versions): "OCSP responses for
// Subscriber Certificates MUST have a validity interval greater than or equal
// to eight hours and less than or equal to ten days", where "the validity
// interval of an OCSP response is the difference in time between the
// thisUpdate and nextUpdate field, inclusive" (so one second more than the
// difference). Too short and stapling servers cannot keep a fresh response;
// too long and a revocation takes that long to reach relying parties.
const HOUR_MS = 3_600_000
const MIN_MS = 8 * HOUR_MS
const MAX_MS = 10 * DAY_MS

export const rule: EvidenceRule = {
  id: 'ocsp-validity-interval',
  description:
    "An OCSP response the subscriber certificate's check used is valid for less than 8 hours or more than 10 days.",
  citation: 'CA/B BR 4.9.9 (formerly 4.9.10)',
  severity: { 'public-tls': 'warning' },
  appliesTo: ({ role, revocation }) => role === 'leaf' && revocation.ocsp.length > 0,
  check({ revocation }) {
    return revocation.ocsp.flatMap(({ url, thisUpdate, nextUpdate }) => {
      const from = url ? `OCSP response from ${url}` : 'Stored OCSP response'
      if (!nextUpdate)
        return [{ message: `${from} has no nextUpdate, so its validity interval has no end (BR 4.9.9).` }]
      const interval = nextUpdate.getTime() - thisUpdate.getTime() + SECOND_MS
      if (interval >= MIN_MS && interval <= MAX_MS) return []
      const bound = interval < MIN_MS ? 'at least 8 hours' : 'at most 10 days'
      return [
        {
          message: `${from} has a validity interval of ${describeSpan(interval)} (thisUpdate ${thisUpdate.toISOString()}, nextUpdate ${nextUpdate.toISOString()}, inclusive); the BR require ${bound} (BR 4.9.9).`,
        },
      ]
    })
  },
}
