import type { Rule } from './rule.js'
import { leafNeedsRevocation } from './support/revocation-pointers.js'

// CA/B BR 7.1.2.7.7 (Subscriber AIA) and 7.1.2.10.3 (CA AIA): "id-ad-ocsp ...
// MAY ... A HTTP URL of the Issuing CA's OCSP responder." Ballot SC-063
// (effective 2024-03-15) made OCSP optional and CRLs mandatory; Let's Encrypt
// stopped including OCSP URLs in 2025. A certificate without an OCSP URL is
// therefore allowed, but clients and gates that only speak OCSP (and stapling
// servers) cannot learn of its revocation: a warning. Where a CRL distribution
// point is present the certificate is still revocable, so the finding drops to
// 'info'. Must-Staple certificates are left to must-staple-no-ocsp (an error).
export const rule: Rule = {
  id: 'aia-ocsp-missing',
  description:
    'No OCSP responder URL in Authority Information Access: OCSP-only clients and stapling servers cannot check revocation (info when a CRL distribution point covers it).',
  citation:
    'CA/B BR 7.1.2.7.7, 7.1.2.10.3 (OCSP optional since ballot SC-063, 2024-03-15); RFC 5280 §4.2.2.1',
  severity: { 'public-tls': 'warning', 'private-tls': 'warning', 'client-tls': 'warning' },
  appliesTo: (ctx) =>
    !ctx.cert.mustStaple &&
    (leafNeedsRevocation(ctx) || (ctx.role === 'intermediate' && ctx.profile === 'public-tls')),
  check({ cert }) {
    if (cert.ocspUrls.length > 0) return []
    if (cert.crlUrls.length > 0)
      return [
        {
          severity: 'info',
          message: `No OCSP responder URL; revocation is published only by CRL (${cert.crlUrls[0]}), which OCSP-only clients and stapling servers do not use.`,
        },
      ]
    return [
      {
        message:
          'No OCSP responder URL in Authority Information Access and no CRL distribution point: nothing tells a client where to learn of a revocation.',
      },
    ]
  },
}
