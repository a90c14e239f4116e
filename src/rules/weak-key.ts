import type { Rule, RuleContext, RuleResult } from './rule.js'
import { severityIn } from './support/profiles.js'

// CA/B BR 6.1.5: "For RSA key pairs the CA SHALL: Ensure that the modulus
// size, when encoded, is at least 2048 bits, and; Ensure that the modulus
// size, in bits, is evenly divisible by 8. For ECDSA key pairs, the CA SHALL:
// Ensure that the key represents a valid point on the NIST P-256, NIST P-384
// or NIST P-521 elliptic curve. No other algorithms or key sizes are permitted."
// Outside the BR, RSA below 2048 bits is still disallowed for signatures by
// NIST SP 800-131A since 2014: an error in the TLS profiles, a warning in the
// structure-only rfc5280 profile. The other BR limits hold in public-tls only.
const MIN_RSA_BITS = 2048
const BR_CURVES = ['P-256', 'P-384', 'P-521']

export const rule: Rule = {
  id: 'weak-key',
  description: 'The public key is too weak or of a kind the Baseline Requirements do not permit.',
  citation: 'CA/B BR 6.1.5; NIST SP 800-131A',
  severity: { ...severityIn('error'), rfc5280: 'warning' },
  appliesTo: () => true,
  check: (ctx) => (ctx.profile === 'public-tls' ? brKeyProblems(ctx) : rsaSizeProblems(ctx)),
}

function rsaSizeProblems({ cert }: RuleContext): RuleResult[] {
  const { type, bits } = cert.key
  if (type !== 'RSA' || bits === 0 || bits >= MIN_RSA_BITS) return []
  return [
    {
      message: `RSA key of ${bits} bits; at least ${MIN_RSA_BITS} are required (BR 6.1.5, NIST SP 800-131A).`,
    },
  ]
}

function brKeyProblems(ctx: RuleContext): RuleResult[] {
  const { type, bits, curve } = ctx.cert.key
  if (type === 'RSA')
    return [
      ...rsaSizeProblems(ctx),
      ...(bits % 8 === 0
        ? []
        : [{ message: `RSA modulus of ${bits} bits is not a multiple of 8, as the BR require (BR 6.1.5).` }]),
    ]
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
