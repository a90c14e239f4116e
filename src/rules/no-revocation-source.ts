import type { Rule } from './rule.js'
import { leafNeedsRevocation } from './support/revocation-pointers.js'

// RFC 5280 §4.2.1.13 / §4.2.2.1: a relying party learns of a revocation only
// from a CRL distribution point or an OCSP responder the certificate names.
// CA/B BR 4.9.1.1 and 7.1.2.11.2 exempt only Short-lived Subscriber
// Certificates (BR 1.6.1: at most 10 days when issued from 2024-03-15, at most
// 7 days from 2026-03-15). Any other leaf with neither pointer can never be
// revoked in practice: a stolen key stays usable until notAfter.
export const rule: Rule = {
  id: 'no-revocation-source',
  description:
    'The leaf names neither an OCSP responder nor a CRL and is not short-lived: it cannot be revoked in practice.',
  citation:
    'CA/B BR 4.9.1.1, 7.1.2.11.2, 1.6.1 (Short-lived Subscriber Certificate); RFC 5280 §4.2.1.13, §4.2.2.1',
  severity: { 'public-tls': 'error', 'private-tls': 'error', 'client-tls': 'error' },
  appliesTo: leafNeedsRevocation,
  check({ cert }) {
    if (cert.ocspUrls.length > 0 || cert.crlUrls.length > 0) return []
    return [
      {
        message:
          'Neither an OCSP URL nor a CRL distribution point, and the validity is too long for a short-lived certificate (BR 1.6.1): a revocation could never reach clients.',
      },
    ]
  },
}
