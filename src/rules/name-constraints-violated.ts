import { pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §4.2.1.10 and §6.1.3 (b)(c): names in certificates below a CA
// with name constraints must lie in its permitted subtrees and outside its
// excluded ones; a constrained (e.g. enterprise) CA cannot issue for others.
export const rule: Rule = {
  id: 'name-constraints-violated',
  description: 'A certificate on the path has a name outside the name constraints of a CA above it.',
  citation: 'RFC 5280 §4.2.1.10, §6.1.3 (b)(c)',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => pathProblemsOf(ctx, 'name-constraints-violated'),
}
