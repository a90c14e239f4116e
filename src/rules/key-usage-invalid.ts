import type { Rule, RuleContext, RuleResult } from './rule.js'
import { BR_CERTIFICATE_PROFILES } from './support/br-dates.js'
import { KeyUsage, assertedBits } from './support/key-usage.js'
import { severityIn } from './support/profiles.js'
import { issuedOnOrAfter } from './support/validity.js'

// RFC 5280 §4.2.1.3: "If the keyCertSign bit is asserted, then the cA bit in
// the basic constraints extension MUST also be asserted." A CA whose keyUsage
// lacks keyCertSign cannot issue (§6.1.4 (n)). "When present, conforming CAs
// SHOULD mark this extension as critical."
// CA/B BR 7.1.2.7.11 (from 2023-09-15): for RSA subscriber keys only
// digitalSignature, keyEncipherment and dataEncipherment are permitted; for
// ECC keys only digitalSignature (MUST) and keyAgreement. BR 7.1.2.7.6 and
// 7.1.2.10.7 mark keyUsage critical.
// RFC 5480 §3: an end-entity EC certificate's keyUsage may hold
// digitalSignature, nonRepudiation and keyAgreement: keyEncipherment and
// dataEncipherment have no meaning for an EC key.
const BR_SUBSCRIBER_FORBIDDEN: Record<string, number> = {
  RSA:
    KeyUsage.nonRepudiation |
    KeyUsage.keyAgreement |
    KeyUsage.cRLSign |
    KeyUsage.encipherOnly |
    KeyUsage.decipherOnly,
  EC:
    KeyUsage.nonRepudiation |
    KeyUsage.keyEncipherment |
    KeyUsage.dataEncipherment |
    KeyUsage.cRLSign |
    KeyUsage.encipherOnly |
    KeyUsage.decipherOnly,
}
const EC_ENCIPHERMENT = KeyUsage.keyEncipherment | KeyUsage.dataEncipherment

export const rule: Rule = {
  id: 'key-usage-invalid',
  description:
    "keyUsage bits that do not fit the certificate's role or key type, or a keyUsage that is not critical.",
  citation: 'RFC 5280 §4.2.1.3; RFC 5480 §3; CA/B BR 7.1.2.7.11, 7.1.2.10.7 (from 2023-09-15)',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.cert.keyUsage !== undefined,
  check: (ctx) => [...roleProblems(ctx), ...criticalityProblems(ctx)],
}

/** BR profiles apply to public-tls certificates issued since BR 2.0.0. */
function underBrProfiles(ctx: RuleContext): boolean {
  return ctx.profile === 'public-tls' && issuedOnOrAfter(ctx.cert, BR_CERTIFICATE_PROFILES)
}

function roleProblems(ctx: RuleContext): RuleResult[] {
  const { cert, role } = ctx
  const flags = cert.keyUsage?.flags ?? 0
  if (role !== 'leaf')
    return flags & KeyUsage.keyCertSign
      ? []
      : [
          {
            message: `The ${role} CA certificate's keyUsage lacks keyCertSign, so it cannot issue certificates (RFC 5280 §4.2.1.3, §6.1.4).`,
          },
        ]

  const problems: RuleResult[] = []
  if (flags & KeyUsage.keyCertSign && !cert.basicConstraints?.ca)
    problems.push({
      message: 'keyUsage asserts keyCertSign but basicConstraints does not assert cA (RFC 5280 §4.2.1.3).',
    })
  if (underBrProfiles(ctx)) {
    const forbidden = assertedBits(flags, BR_SUBSCRIBER_FORBIDDEN[cert.key.type] ?? 0)
    if (forbidden.length > 0)
      problems.push({
        message: `keyUsage asserts ${forbidden.join(', ')}, not permitted in a subscriber certificate with an ${cert.key.type} key (BR 7.1.2.7.11).`,
      })
    if (cert.key.type === 'EC' && !(flags & KeyUsage.digitalSignature))
      problems.push({
        message:
          'keyUsage of an ECC subscriber certificate lacks digitalSignature, which the BR require (BR 7.1.2.7.11).',
      })
  } else if (cert.key.type === 'EC' && flags & EC_ENCIPHERMENT) {
    problems.push({
      severity: 'warning',
      message: `keyUsage asserts ${assertedBits(flags, EC_ENCIPHERMENT).join(', ')} for an EC key, which cannot encipher (RFC 5480 §3).`,
    })
  }
  return problems
}

function criticalityProblems(ctx: RuleContext): RuleResult[] {
  if (ctx.cert.keyUsage?.critical) return []
  return underBrProfiles(ctx)
    ? [{ message: 'keyUsage is not marked critical; the BR require it critical (BR 7.1.2.7.6, 7.1.2.10.7).' }]
    : [
        {
          severity: 'warning',
          message: 'keyUsage is not marked critical; RFC 5280 §4.2.1.3 says it SHOULD be.',
        },
      ]
}
