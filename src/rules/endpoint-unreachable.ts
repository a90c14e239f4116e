import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 8446 §4 / RFC 6066 §8: the served chain and its staple can only be
// judged from a completed handshake. An endpoint the user named that cannot
// be reached (refused, timed out, handshake failure) leaves the gate with
// nothing to judge, so it fails rather than passing unseen.
export const rule: RuleInfo = {
  id: 'endpoint-unreachable',
  description: 'No TLS handshake with the endpoint (connection refused, timeout or handshake failure).',
  citation: 'RFC 8446 §4; RFC 6066 §8',
  severity: severityIn('error'),
}
