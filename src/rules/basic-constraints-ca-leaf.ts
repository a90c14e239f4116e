import { OID } from '../model/cert.js'
import type { Rule, RuleContext } from './rule.js'
import { severityIn } from './support/profiles.js'

// CA/B BR 7.1.2.7.8: in Subscriber Certificates "cA MUST be FALSE".
// RFC 5280 §4.2.1.9: "The cA boolean indicates whether the certified public
// key may be used to verify certificate signatures." A server certificate
// that is also a CA lets whoever holds its key issue certificates under the
// same trust. A certificate counts as a leaf by its place in the chain, or by
// looking like a server certificate (serverAuth and a SAN) wherever it sits.
export const rule: Rule = {
  id: 'basic-constraints-ca-leaf',
  description: 'An end-entity (server) certificate asserts cA:TRUE, so its key could issue certificates.',
  citation: 'CA/B BR 7.1.2.7.8; RFC 5280 §4.2.1.9',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.role === 'leaf' || looksLikeServerCertificate(ctx),
  check: ({ cert }) =>
    cert.basicConstraints?.ca
      ? [
          {
            message:
              'basicConstraints asserts cA:TRUE on an end-entity certificate; subscriber certificates MUST have cA FALSE (BR 7.1.2.7.8, RFC 5280 §4.2.1.9).',
          },
        ]
      : [],
}

function looksLikeServerCertificate({ cert }: RuleContext): boolean {
  return cert.san !== undefined && (cert.extKeyUsage?.oids.includes(OID.serverAuth) ?? false)
}
