import { pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §4.2.1.9 and §6.1.4 (l)(m): pathLenConstraint is the number of
// non-self-issued intermediate certificates that may follow the CA on a path;
// clients reject longer paths.
export const rule: Rule = {
  id: 'path-length-exceeded',
  description: 'More intermediate CAs below a CA than its pathLenConstraint allows.',
  citation: 'RFC 5280 §6.1.4 (l)(m), §4.2.1.9',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => pathProblemsOf(ctx, 'path-length-exceeded'),
}
