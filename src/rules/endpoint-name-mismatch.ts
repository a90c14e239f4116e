import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 9525 §6: a client checks the name it connected for (a DNS name, or an
// IP address against iPAddress SANs) against the served leaf's
// subjectAltName, and no longer against the subject CN (§6.3); a leaf for
// another name fails every handshake for this one, whatever its chain.
// Reported by the endpoint stage for each `--endpoint HOST`.
export const rule: RuleInfo = {
  id: 'endpoint-name-mismatch',
  description:
    'The endpoint serves a leaf whose subjectAltName does not cover the host name or address it was reached by.',
  citation: 'RFC 9525 §6; RFC 6125 §6.4',
  severity: severityIn('error'),
}
