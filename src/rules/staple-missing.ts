import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 6066 §8: a client sends status_request and the server "MAY return a
// suitable certificate status response"; without one every client must ask
// the responder itself (or, as browsers do, not ask at all). RFC 7633 §4.2.3:
// a client that sees Must-Staple (TLS Feature status_request) and no staple
// treats the certificate as invalid, so then it is an error.
export const rule: RuleInfo = {
  id: 'staple-missing',
  description:
    'The endpoint answered status_request without a stapled OCSP response (an error when the leaf is Must-Staple).',
  citation: 'RFC 6066 §8; RFC 7633 §4.2.3',
  severity: severityIn('warning'),
}
