import { pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §6.1.3 (a)(1): the signature on each certificate is verified
// with the working public key of its issuer. A mismatch means the wrong
// intermediate was deployed (same name, re-keyed CA) or a forged certificate.
export const rule: Rule = {
  id: 'signature-invalid',
  description: "A certificate's signature does not verify with the key of the issuer it names.",
  citation: 'RFC 5280 §6.1.3 (a)(1)',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => pathProblemsOf(ctx, 'signature-invalid'),
}
