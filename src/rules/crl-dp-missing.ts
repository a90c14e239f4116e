import type { Rule, RuleContext } from './rule.js'
import { leafNeedsRevocation } from './support/revocation-pointers.js'
import { BR_OCSP_OPTIONAL } from './support/br-dates.js'
import { issuedOnOrAfter } from './support/validity.js'

// CA/B BR 7.1.2.11.2 (v2.2.6): "The CRL Distribution Points extension MUST be
// present in: Subordinate CA Certificates; and Subscriber Certificates that
// 1) do not qualify as "Short-lived Subscriber Certificates" and 2) do not
// include an Authority Information Access extension with an id-ad-ocsp
// accessMethod." The subscriber clause came with ballot SC-063 (2024-03-15);
// before it OCSP was mandatory in subscriber certificates and the CRL DP
// optional. Subordinate CA certificates needed it before too (BR 1.x 7.1.2.2 b).
export const rule: Rule = {
  id: 'crl-dp-missing',
  description: 'No CRL distribution point where the Baseline Requirements require one.',
  citation: 'CA/B BR 7.1.2.11.2 (subscriber clause: ballot SC-063, 2024-03-15)',
  severity: { 'public-tls': 'error' },
  appliesTo: (ctx) => ctx.role === 'intermediate' || subscriberNeedsCrl(ctx),
  check({ cert, role }) {
    if (cert.crlUrls.length > 0) return []
    return [
      {
        message:
          role === 'intermediate'
            ? 'Subordinate CA certificate has no CRL distribution point; the BR require one in every subordinate CA certificate (BR 7.1.2.11.2).'
            : 'No CRL distribution point and no OCSP URL; the BR require a CRL distribution point in subscriber certificates that are not short-lived and name no OCSP responder (BR 7.1.2.11.2).',
      },
    ]
  },
}

function subscriberNeedsCrl(ctx: RuleContext): boolean {
  return (
    leafNeedsRevocation(ctx) && ctx.cert.ocspUrls.length === 0 && issuedOnOrAfter(ctx.cert, BR_OCSP_OPTIONAL)
  )
}
