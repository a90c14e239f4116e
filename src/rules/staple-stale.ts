import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 6960 §4.2.2.1: responses whose nextUpdate is earlier than the local
// time are to be considered unreliable; RFC 5019 §6.1 has clients reject them.
// A server that keeps stapling such a response (its fetch from the responder
// failing silently) makes clients fall back or, under Must-Staple, fail; a
// stored staple file (nginx ssl_stapling_file, Caddy's cache) gone stale is
// the same failure waiting to be served. Reported on the endpoint or file.
export const rule: RuleInfo = {
  id: 'staple-stale',
  description:
    'A stapled or stored OCSP response is past its nextUpdate (or within the margin): whatever refreshes it stopped.',
  citation: 'RFC 6960 §4.2.2.1; RFC 5019 §6.1',
  severity: severityIn('error'),
}
