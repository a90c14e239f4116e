import type { Rule } from './rule.js'

// CA/B BR 7.1.2.7.7 / 7.1.2.10.3: id-ad-ocsp "A HTTP URL of the Issuing CA's
// OCSP responder." RFC 5019 §5 profiles OCSP over plain HTTP: the response is
// signed, so TLS adds nothing but a circular dependency (checking the
// responder's own TLS certificate needs revocation data too) and a handshake
// that many clients will not attempt while validating.
export const rule: Rule = {
  id: 'aia-ocsp-not-http',
  description:
    'An OCSP responder URL uses a scheme other than http: clients may not be able to reach it while validating.',
  citation: 'CA/B BR 7.1.2.7.7; RFC 5019 §5',
  severity: { 'public-tls': 'error', 'private-tls': 'warning', 'client-tls': 'warning' },
  appliesTo: (ctx) => ctx.cert.ocspUrls.length > 0,
  check: ({ cert }) =>
    cert.ocspUrls
      .filter((url) => schemeOf(url) !== 'http')
      .map((url) => ({
        message: `OCSP responder URL ${JSON.stringify(url)} is not an http:// URL; OCSP is served over plain HTTP (RFC 5019 §5, BR 7.1.2.7.7).`,
      })),
}

function schemeOf(url: string): string {
  const match = /^([a-z][a-z0-9+.-]*):/i.exec(url)
  return match ? match[1].toLowerCase() : ''
}
