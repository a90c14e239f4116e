import type { Rule } from './rule.js'

// CA/B BR 7.1.2.7.7 (Subscriber): "id-ad-caIssuers ... SHOULD ... A HTTP URL
// of the Issuing CA's certificate." BR 7.1.2.10.3 (CA certificates): the same
// access method is "MAY". Without it a client that was sent an incomplete
// chain cannot fetch the missing issuer (RFC 5280 §4.2.2.1), so a leaf
// without it earns a warning and an intermediate an 'info'.
export const rule: Rule = {
  id: 'aia-ca-issuers-missing',
  description:
    'No CA Issuers URL in Authority Information Access: clients cannot fetch a missing issuer certificate.',
  citation: 'CA/B BR 7.1.2.7.7 (SHOULD), 7.1.2.10.3 (MAY); RFC 5280 §4.2.2.1',
  severity: { 'public-tls': 'warning' },
  appliesTo: (ctx) => ctx.role === 'leaf' || ctx.role === 'intermediate',
  check({ cert, role }) {
    if (cert.caIssuersUrls.length > 0) return []
    return role === 'leaf'
      ? [
          {
            message:
              "No CA Issuers URL (id-ad-caIssuers) in Authority Information Access; the BR say subscriber certificates SHOULD carry the issuing CA certificate's URL (BR 7.1.2.7.7).",
          },
        ]
      : [
          {
            severity: 'info',
            message:
              'No CA Issuers URL (id-ad-caIssuers) in Authority Information Access; clients missing the next issuer cannot fetch it (BR 7.1.2.10.3: MAY).',
          },
        ]
  },
}
