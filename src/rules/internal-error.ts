import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// DESIGN.md "Bounds": "A failure while judging one certificate, response or
// file is a finding or an invalid status on that item, never the end of the
// run." An exception inside certgate is a bug, not a verdict on the input:
// the item it happened on is reported as not judged, under this rule, and
// fails the gate so an unjudged certificate never passes silently.
export const rule: RuleInfo = {
  id: 'internal-error',
  description:
    'certgate failed while judging this item (a bug in certgate): it was not judged; the other items were.',
  citation: 'certgate DESIGN.md "Bounds"',
  severity: severityIn('error'),
}
