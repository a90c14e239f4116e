import type { Rule, RuleContext } from './rule.js'
import { BR_CERTIFICATE_PROFILES } from './support/br-dates.js'
import { severityIn } from './support/profiles.js'
import { issuedOnOrAfter } from './support/validity.js'

// RFC 5280 §4.2.1.3: "Conforming CAs MUST include this extension in
// certificates that contain public keys that are used to validate digital
// signatures on other public key certificates or CRLs."
// CA/B BR 7.1.2.7.6 (Subscriber Certificate Extensions, from BR 2.0.0,
// 2023-09-15): "keyUsage | SHOULD | Critical: Y".
// A CA certificate without it is an error in every profile; a subscriber
// certificate without it is a warning, and only in public-tls: RFC 5280 lets
// an end entity omit it (any usage then). The rule-level `effective` date is
// not used because it would also spare old CA certificates, which RFC 5280
// has bound since 2008; the BR date is applied to leaves in check().
export const rule: Rule = {
  id: 'key-usage-missing',
  description:
    'No keyUsage extension: required in CA certificates, and expected in subscriber certificates under the BR.',
  citation: 'RFC 5280 §4.2.1.3; CA/B BR 7.1.2.7.6 (subscriber, SHOULD, from 2023-09-15), 7.1.2.10.7',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.cert.version >= 3 && (ctx.role !== 'leaf' || subscriberExpectsKeyUsage(ctx)),
  check({ cert, role }) {
    if (cert.keyUsage) return []
    if (role !== 'leaf')
      return [
        {
          message: `The ${role} CA certificate has no keyUsage extension; RFC 5280 §4.2.1.3 requires it (with keyCertSign) in certificates whose key verifies certificate signatures.`,
        },
      ]
    return [
      {
        severity: 'warning',
        message:
          'No keyUsage extension; the BR say subscriber certificates SHOULD carry a critical keyUsage (digitalSignature for TLS 1.3) (BR 7.1.2.7.6, 7.1.2.7.11).',
      },
    ]
  },
}

function subscriberExpectsKeyUsage(ctx: RuleContext): boolean {
  return ctx.profile === 'public-tls' && issuedOnOrAfter(ctx.cert, BR_CERTIFICATE_PROFILES)
}
