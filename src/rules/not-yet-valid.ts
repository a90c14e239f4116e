import { issuerProblemsOf } from '../chain/path-findings.js'
import type { Rule, RuleContext, RuleResult } from './rule.js'
import { severityIn } from './support/profiles.js'
import { describeSpan } from '../model/span.js'

// RFC 5280 §4.1.2.5 and §6.1.3 (a)(2): a certificate is valid only from its
// notBefore; before it clients reject the certificate. Usually a clock problem
// at the issuer or a certificate deployed too early.
export const rule: Rule = {
  id: 'not-yet-valid',
  description: 'The certificate is before its notBefore: clients reject it.',
  citation: 'RFC 5280 §4.1.2.5, §6.1.3',
  severity: severityIn('error'),
  appliesTo: () => true,
  check: (ctx) => [...ownProblems(ctx), ...issuerProblemsOf(ctx, 'not-yet-valid')],
}

function ownProblems({ cert, now }: RuleContext): RuleResult[] {
  return cert.notBefore.getTime() > now.getTime()
    ? [
        {
          message: `Not valid before ${cert.notBefore.toISOString()}, ${describeSpan(cert.notBefore.getTime() - now.getTime())} from now.`,
        },
      ]
    : []
}
