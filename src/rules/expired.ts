import { issuerProblemsOf } from '../chain/path-findings.js'
import type { Rule, RuleContext, RuleResult } from './rule.js'
import { severityIn } from './support/profiles.js'
import { describeSpan } from '../model/span.js'

// RFC 5280 §4.1.2.5: the validity field is "the time interval during which
// the CA warrants that it will maintain information about the status of the
// certificate"; §6.1.3 (a)(2) fails a path whose certificate is outside it.
// Judged against --now, for every role: an expired intermediate breaks the
// chain as surely as an expired leaf.
export const rule: Rule = {
  id: 'expired',
  description: 'The certificate is past its notAfter: clients reject it.',
  citation: 'RFC 5280 §4.1.2.5, §6.1.3',
  severity: severityIn('error'),
  appliesTo: () => true,
  check: (ctx) => [...ownProblems(ctx), ...issuerProblemsOf(ctx, 'expired')],
}

function ownProblems({ cert, now }: RuleContext): RuleResult[] {
  return cert.notAfter.getTime() < now.getTime()
    ? [
        {
          message: `Expired on ${cert.notAfter.toISOString()}, ${describeSpan(now.getTime() - cert.notAfter.getTime())} ago.`,
        },
      ]
    : []
}
