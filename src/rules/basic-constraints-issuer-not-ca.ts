import { pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §6.1.4 (k): every issuer on a path must carry basicConstraints
// with cA TRUE. A leaf used as an issuer is the classic forged-chain attack
// (CVE-2002-0862), so every conforming client rejects the path.
export const rule: Rule = {
  id: 'basic-constraints-issuer-not-ca',
  description:
    'A certificate on the path issues another but is not a CA (cA FALSE or basicConstraints missing).',
  citation: 'RFC 5280 §6.1.4 (k), §4.2.1.9',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => pathProblemsOf(ctx, 'basic-constraints-issuer-not-ca'),
}
