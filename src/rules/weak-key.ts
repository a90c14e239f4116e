import type { Rule, RuleContext, RuleResult } from './rule.js'
import { severityIn } from './support/profiles.js'
import { hasRocaFingerprint } from './support/roca.js'

// CA/B BR 6.1.5: "For RSA key pairs the CA SHALL: Ensure that the modulus
// size, when encoded, is at least 2048 bits, and; Ensure that the modulus
// size, in bits, is evenly divisible by 8. For ECDSA key pairs, the CA SHALL:
// Ensure that the key represents a valid point on the NIST P-256, NIST P-384
// or NIST P-521 elliptic curve. No other algorithms or key sizes are permitted."
// Outside the BR, RSA below 2048 bits is still disallowed for signatures by
// NIST SP 800-131A since 2014: an error in the TLS profiles, a warning in the
// structure-only rfc5280 profile. The other BR limits hold in public-tls only.
// CA/B BR 6.1.6: "The CA SHALL confirm that the value of the public exponent
// is an odd number equal to 3 or more. Additionally, the public exponent
// SHOULD be in the range between 2^16 + 1 and 2^256 - 1." An even exponent
// has no inverse and 1 encrypts nothing: such a key is broken in every
// profile; a small odd one is the BR's SHOULD, a warning in public-tls.
// CVE-2017-15361 (ROCA): RSA moduli from Infineon's RSALib can be factored
// from the public key alone (BR 6.1.1.3 has the CA reject keys "known to be
// weak"); an error in every profile, see support/roca.ts.
const MIN_RSA_BITS = 2048
const BR_CURVES = ['P-256', 'P-384', 'P-521']
const BR_MIN_EXPONENT = 2n ** 16n + 1n
const BR_MAX_EXPONENT = 2n ** 256n - 1n

/** Each check judges one property of the key. */
const KEY_CHECKS: readonly ((ctx: RuleContext) => RuleResult[])[] = [
  rsaModulusSize,
  rsaPublicExponent,
  rsaRocaFingerprint,
  brKeyAlgorithm,
]

export const rule: Rule = {
  id: 'weak-key',
  description: 'The public key is too weak, broken, or of a kind the Baseline Requirements do not permit.',
  citation: 'CA/B BR 6.1.5, 6.1.6, 6.1.1.3; NIST SP 800-131A; CVE-2017-15361 (ROCA)',
  severity: { ...severityIn('error'), rfc5280: 'warning' },
  appliesTo: () => true,
  check: (ctx) => KEY_CHECKS.flatMap((judge) => judge(ctx)),
}

function rsaModulusSize({ cert, profile }: RuleContext): RuleResult[] {
  const { type, bits } = cert.key
  if (type !== 'RSA' || bits === 0) return []
  const problems: RuleResult[] = []
  if (bits < MIN_RSA_BITS)
    problems.push({
      message: `RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required (BR 6.1.5, NIST SP 800-131A).`,
    })
  if (profile === 'public-tls' && bits % 8 !== 0)
    problems.push({
      message: `RSA modulus of ${bits} bits is not a multiple of 8, as the BR require (BR 6.1.5).`,
    })
  return problems
}

function rsaPublicExponent({ cert, profile }: RuleContext): RuleResult[] {
  const { type, exponent } = cert.key
  if (type !== 'RSA' || exponent === undefined) return []
  if (exponent < 3n || exponent % 2n === 0n)
    return [
      {
        severity: 'error',
        message: `RSA public exponent ${exponent} is ${exponent % 2n === 0n ? 'even' : 'below 3'}: the key cannot be used safely, if at all (BR 6.1.6 requires an odd exponent of 3 or more).`,
      },
    ]
  if (profile === 'public-tls' && (exponent < BR_MIN_EXPONENT || exponent > BR_MAX_EXPONENT))
    return [
      {
        severity: 'warning',
        message: `RSA public exponent ${exponent} is outside 2^16+1 .. 2^256-1, the range the BR say it SHOULD be in (BR 6.1.6).`,
      },
    ]
  return []
}

function rsaRocaFingerprint({ cert }: RuleContext): RuleResult[] {
  const { type, modulus } = cert.key
  if (type !== 'RSA' || modulus === undefined || !hasRocaFingerprint(modulus)) return []
  return [
    {
      severity: 'error',
      message:
        'RSA modulus has the ROCA fingerprint (CVE-2017-15361): the key was made by a vulnerable Infineon RSALib and its private key can be computed from the certificate; replace the key pair and revoke the certificate.',
    },
  ]
}

function brKeyAlgorithm({ cert, profile }: RuleContext): RuleResult[] {
  const { type, curve } = cert.key
  if (profile !== 'public-tls' || type === 'RSA') return []
  if (type === 'EC')
    return curve && BR_CURVES.includes(curve)
      ? []
      : [
          {
            message: `EC key on curve ${curve ?? '(unnamed)'}; the BR permit only P-256, P-384 and P-521 (BR 6.1.5).`,
          },
        ]
  return [{ message: `${type} key; the BR permit only RSA and ECDSA on P-256, P-384 or P-521 (BR 6.1.5).` }]
}
