import type { EvidenceRule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 6962 §3.2 and §5.2: an SCT is the log's signed promise to include the
// precertificate; a client checks the signature with the log's key over the
// precertificate entry and that the log was one it trusts at the SCT's time
// (Chrome "CT Log Lifecycle": pending and rejected logs never count, retired
// logs only before retirement). An SCT that fails is noise at best and a
// forgery at worst. Needs --ct-log-list for signatures and states; a
// malformed SCT list is reported without it.
export const rule: EvidenceRule = {
  id: 'sct-invalid',
  description:
    'An embedded SCT does not verify with its log’s key, or its log was not usable at the SCT’s time (with a log list: --ct-log-list; action input ct-log-list).',
  citation: 'RFC 6962 §3.2, §5.2; Chrome CT log states',
  severity: severityIn('error'),
  appliesTo: ({ role, ct }) => role === 'leaf' && ct !== undefined,
  check({ ct }) {
    if (!ct) return []
    if (ct.malformed) return [{ message: `The SCT list extension cannot be read: ${ct.malformed}.` }]
    return ct.scts.flatMap((sct) =>
      sct.problem ? [{ message: `${sct.problem}.`, severity: sct.problemSeverity }] : [],
    )
  },
}
