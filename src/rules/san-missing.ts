import type { Rule } from './rule.js'

// CA/B BR 7.1.2.7.12: "the Subject Alternative Name MUST be present and MUST
// contain at least one dNSName or iPAddress GeneralName." RFC 6125 §6.4.4 and
// every current browser match the host against the SAN only and ignore the
// subject CN, so a server certificate without one matches no host.
export const rule: Rule = {
  id: 'san-missing',
  description:
    'The server certificate has no subjectAltName with a DNS name or IP address: clients match no host.',
  citation: 'CA/B BR 7.1.2.7.12; RFC 6125 §6.4.4; RFC 5280 §4.2.1.6',
  severity: { 'public-tls': 'error', 'private-tls': 'error' },
  appliesTo: (ctx) => ctx.role === 'leaf',
  check({ cert }) {
    if (!cert.san)
      return [
        {
          message:
            'No subjectAltName extension; clients match the host name against the SAN only, never the subject CN (BR 7.1.2.7.12, RFC 6125).',
        },
      ]
    if (cert.san.dns.length === 0 && cert.san.ip.length === 0)
      return [
        {
          message: 'subjectAltName holds no dNSName or iPAddress, so it matches no host (BR 7.1.2.7.12).',
        },
      ]
    return []
  },
}
