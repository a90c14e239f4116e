import { OID } from '../model/cert.js'
import type { Rule } from './rule.js'

// CA/B BR 7.1.2.7.10: in Subscriber Certificates "id-kp-serverAuth ... MUST";
// "anyExtendedKeyUsage ... MUST NOT". RFC 5280 §4.2.1.12: without the
// extension, or with anyExtendedKeyUsage, the key is not restricted; a private
// PKI may rely on that, but Apple platforms and Chrome's verifier expect
// serverAuth in TLS server certificates, so an absent extension is a warning
// in private-tls and any EKU list without serverAuth an error.
export const rule: Rule = {
  id: 'eku-server-auth-missing',
  description: 'The TLS server certificate does not list id-kp-serverAuth in its extended key usage.',
  citation: 'CA/B BR 7.1.2.7.10; RFC 5280 §4.2.1.12',
  severity: { 'public-tls': 'error', 'private-tls': 'error' },
  appliesTo: (ctx) => ctx.role === 'leaf',
  check({ cert, profile }) {
    const oids = cert.extKeyUsage?.oids
    if (oids?.includes(OID.serverAuth)) return []
    if (profile === 'public-tls')
      return [
        {
          message: oids
            ? `extendedKeyUsage lists ${oids.join(', ')} but not id-kp-serverAuth (${OID.serverAuth}); the BR require serverAuth and do not accept anyExtendedKeyUsage (BR 7.1.2.7.10).`
            : 'No extendedKeyUsage extension; the BR require one listing id-kp-serverAuth (BR 7.1.2.7.10).',
        },
      ]
    if (!oids)
      return [
        {
          severity: 'warning',
          message:
            'No extendedKeyUsage extension: RFC 5280 leaves the key unrestricted, but several TLS clients expect id-kp-serverAuth.',
        },
      ]
    if (oids.includes(OID.anyExtendedKeyUsage)) return []
    return [
      {
        message: `extendedKeyUsage lists ${oids.join(', ')} but not id-kp-serverAuth (${OID.serverAuth}): TLS clients reject it as a server certificate (RFC 5280 §4.2.1.12).`,
      },
    ]
  },
}
