import { policyShortfalls } from '../ct/policy.js'
import type { EvidenceRule } from './rule.js'
import { severityIn } from './support/profiles.js'

// Chrome CT policy ("CT Compliant Certificates", embedded SCTs; Chrome
// enforces CT for every publicly trusted certificate): SCTs from at least 2
// distinct logs for a lifetime of up to 180 days and 3 beyond, from at least
// two log operators, one log usable now. A leaf that falls short is refused
// by Chrome however good its chain. Judged for leaves that chain to a system
// root in public-tls, and for every leaf with --require-sct (private CAs
// that log too). Without --ct-log-list only distinct log IDs are counted.
export const rule: EvidenceRule = {
  id: 'sct-missing',
  description:
    "The leaf's embedded SCTs fall short of Chrome's CT policy (distinct logs for its lifetime, two operators).",
  citation: 'Chrome CT policy (embedded SCTs); RFC 6962 §3.3',
  severity: severityIn('error'),
  appliesTo: ({ role, ct, profile, path }) =>
    role === 'leaf' &&
    ct !== undefined &&
    (ct.required || (profile === 'public-tls' && path?.anchorSource === 'system')),
  check({ cert, ct }) {
    if (!ct) return []
    // A list that cannot be read counts as none; sct-invalid says what is wrong with it.
    if (ct.malformed || ct.scts.length === 0)
      return [
        {
          message:
            'No readable embedded SCTs: Chrome refuses a publicly trusted certificate that was not logged (Chrome CT policy).',
        },
      ]
    return policyShortfalls(cert, ct).map((shortfall) => ({
      message: `Chrome CT policy not met: ${shortfall}.`,
    }))
  },
}
