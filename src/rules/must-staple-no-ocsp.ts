import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 7633 (abstract): "Informing clients that an OCSP status response will
// always be stapled permits an immediate failure in the case that the response
// is not stapled." §4.2.3 has clients treat a certificate whose features the
// server does not offer as invalid. Without an OCSP URL the server has nowhere
// to fetch a response from, so the certificate can never be served validly.
export const rule: Rule = {
  id: 'must-staple-no-ocsp',
  description:
    'Must-Staple (TLS Feature status_request) without an OCSP URL: no server can ever staple a response.',
  citation: 'RFC 7633 §4.2.3; RFC 6066 §8',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.cert.mustStaple,
  check({ cert }) {
    if (cert.ocspUrls.length > 0) return []
    return [
      {
        message:
          'Must-Staple (TLS Feature status_request, RFC 7633) is set but Authority Information Access has no OCSP URL: servers cannot obtain a staple and clients will reject every handshake.',
      },
    ]
  },
}
