import type { EvidenceRule } from './rule.js'
import { describeSpan } from '../model/span.js'
import { DAY_MS } from './support/validity.js'

// CA/B BR 7.2 (v2.2.6, CRL fields, nextUpdate): "For CRLs covering Subscriber
// Certificates, at most 10 days after the thisUpdate. For other CRLs, at most
// 12 months after the thisUpdate." (Before the CRL profile of ballot SC-063
// the same limits stood in BR 4.9.7.) A CRL valid for longer lets a replayed
// copy from before a revocation pass as current for that long. Judged on the
// CRLs a certificate's check consulted: a leaf's CRL covers subscriber
// certificates, a CA certificate's CRL covers CA certificates.
const SUBSCRIBER_LIMIT_MS = 10 * DAY_MS

export const rule: EvidenceRule = {
  id: 'crl-validity-too-long',
  description:
    "A CRL the certificate's check used is valid for longer than the Baseline Requirements allow (10 days for subscriber CRLs, 12 months for CA CRLs).",
  citation: 'CA/B BR 7.2 (nextUpdate; formerly 4.9.7)',
  severity: { 'public-tls': 'warning' },
  appliesTo: ({ role, revocation }) => role !== 'root' && revocation.crls.length > 0,
  check({ role, revocation }) {
    return revocation.crls.flatMap(({ url, thisUpdate, nextUpdate }) => {
      const subscriber = role === 'leaf'
      const scope = subscriber ? 'CRLs covering subscriber certificates' : 'CRLs covering CA certificates'
      if (!nextUpdate)
        return [{ message: `CRL ${url} has no nextUpdate; the BR require one on ${scope} (BR 7.2).` }]
      const limit = subscriber ? thisUpdate.getTime() + SUBSCRIBER_LIMIT_MS : twelveMonthsAfter(thisUpdate)
      if (nextUpdate.getTime() <= limit) return []
      const span = describeSpan(nextUpdate.getTime() - thisUpdate.getTime())
      const allowed = subscriber ? '10 days' : '12 months'
      return [
        {
          message: `CRL ${url} is valid for ${span} (thisUpdate ${thisUpdate.toISOString()}, nextUpdate ${nextUpdate.toISOString()}); the BR allow at most ${allowed} for ${scope} (BR 7.2).`,
        },
      ]
    })
  },
}

function twelveMonthsAfter(date: Date): number {
  const later = new Date(date.getTime())
  later.setUTCFullYear(later.getUTCFullYear() + 1)
  return later.getTime()
}
