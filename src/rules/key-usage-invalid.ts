import { issuerProblemsOf } from '../chain/path-findings.js'
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
// RFC 5280 §4.2.1.3: "When the keyUsage extension appears in a certificate,
// at least one of the bits MUST be set to 1."
// RFC 3279 §2.3.1: an RSA key's keyUsage may combine only digitalSignature,
// nonRepudiation, keyEncipherment and dataEncipherment (plus keyCertSign and
// cRLSign in a CA or CRL issuer certificate); RSA has no key agreement.
// "if keyCertSign or cRLSign is present, both keyEncipherment and
// dataEncipherment SHOULD NOT be present."
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
const ENCIPHERMENT = KeyUsage.keyEncipherment | KeyUsage.dataEncipherment
const RSA_NEVER = KeyUsage.keyAgreement | KeyUsage.encipherOnly | KeyUsage.decipherOnly
const CERTIFICATE_OR_CRL_SIGNING = KeyUsage.keyCertSign | KeyUsage.cRLSign

export const rule: Rule = {
  id: 'key-usage-invalid',
  description:
    "keyUsage bits that do not fit the certificate's role or key type, or a keyUsage that is not critical.",
  citation:
    'RFC 5280 §4.2.1.3, §6.1.4 (n); RFC 3279 §2.3.1; RFC 5480 §3; CA/B BR 7.1.2.7.11, 7.1.2.10.7 (from 2023-09-15)',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.cert.keyUsage !== undefined || ctx.path !== undefined,
  check: (ctx) => [...keyUsageProblems(ctx), ...issuerProblemsOf(ctx, 'key-usage-invalid')],
}

function keyUsageProblems(ctx: RuleContext): RuleResult[] {
  const keyUsage = ctx.cert.keyUsage
  if (!keyUsage) return []
  const noBit: RuleResult[] =
    keyUsage.flags === 0
      ? [{ message: 'keyUsage is present with no bit set; at least one MUST be (RFC 5280 §4.2.1.3).' }]
      : []
  return [
    ...noBit,
    ...(noBit.length ? [] : roleProblems(ctx)),
    ...rsaProblems(ctx),
    ...criticalityProblems(ctx),
  ]
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
    // Bits no RSA key may carry are rsaProblems' to report, whatever the profile.
    const reportedForRsa = cert.key.type === 'RSA' ? RSA_NEVER : 0
    const forbidden = assertedBits(flags, (BR_SUBSCRIBER_FORBIDDEN[cert.key.type] ?? 0) & ~reportedForRsa)
    if (forbidden.length > 0)
      problems.push({
        message: `keyUsage asserts ${forbidden.join(', ')}, not permitted in a subscriber certificate with an ${cert.key.type} key (BR 7.1.2.7.11).`,
      })
    if (cert.key.type === 'EC' && !(flags & KeyUsage.digitalSignature))
      problems.push({
        message:
          'keyUsage of an ECC subscriber certificate lacks digitalSignature, which the BR require (BR 7.1.2.7.11).',
      })
  } else if (cert.key.type === 'EC' && flags & ENCIPHERMENT) {
    problems.push({
      severity: 'warning',
      message: `keyUsage asserts ${assertedBits(flags, ENCIPHERMENT).join(', ')} for an EC key, which cannot encipher (RFC 5480 §3).`,
    })
  }
  return problems
}

/** RFC 3279 §2.3.1: the uses an RSA key can have. */
function rsaProblems({ cert }: RuleContext): RuleResult[] {
  const flags = cert.keyUsage?.flags ?? 0
  if (cert.key.type !== 'RSA') return []
  const problems: RuleResult[] = []
  if (flags & RSA_NEVER)
    problems.push({
      message: `keyUsage asserts ${assertedBits(flags, RSA_NEVER).join(', ')} for an RSA key, which RFC 3279 §2.3.1 does not allow (RSA has no key agreement).`,
    })
  if (flags & CERTIFICATE_OR_CRL_SIGNING && flags & ENCIPHERMENT)
    problems.push({
      severity: 'warning',
      message: `keyUsage of an RSA ${assertedBits(flags, CERTIFICATE_OR_CRL_SIGNING).join('/')} key also asserts ${assertedBits(flags, ENCIPHERMENT).join(', ')}, which RFC 3279 §2.3.1 says SHOULD NOT be: a signing CA key should not decrypt.`,
    })
  return problems
}

function criticalityProblems(ctx: RuleContext): RuleResult[] {
  if (ctx.cert.keyUsage?.critical !== false) return []
  return underBrProfiles(ctx)
    ? [{ message: 'keyUsage is not marked critical; the BR require it critical (BR 7.1.2.7.6, 7.1.2.10.7).' }]
    : [
        {
          severity: 'warning',
          message: 'keyUsage is not marked critical; RFC 5280 §4.2.1.3 says it SHOULD be.',
        },
      ]
}
