import { pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §4.2: "A certificate-using system MUST reject the certificate if
// it encounters a critical extension it does not recognize". Extensions the
// profile says MUST be non-critical (AKI, SKI, AIA) are malformed when critical.
export const rule: Rule = {
  id: 'critical-extension-unsupported',
  description:
    'A certificate on the path has a critical extension certgate does not process, or one that must not be critical.',
  citation: 'RFC 5280 §4.2',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => pathProblemsOf(ctx, 'critical-extension-unsupported'),
}
