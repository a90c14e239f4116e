import type { ServerBlockRule } from './rule.js'
import { hostName, responderOf, staplingAt, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// nginx docs, ngx_http_ssl_module, ssl_stapling: "For a resolution of the
// OCSP responder hostname, the resolver directive should also be specified."
// Without one, nginx (1.22, seen in __tests__/server-config) resolves the
// name once, at start-up, with the system resolver: a name that does not
// resolve then turns stapling off for the certificate ("ssl_stapling"
// ignored, host not found in OCSP responder) and it never staples; one that
// does is used at that address until a restart, with "no resolver defined to
// resolve HOST" logged at every fetch, so stapling stops when the responder
// (usually behind a CDN) moves. An IP-literal responder or
// ssl_stapling_file needs no resolver. Must-Staple (RFC 7633 §4.2.3) makes
// the missing staple fatal.
export const rule: ServerBlockRule = {
  id: 'stapling-no-resolver',
  description:
    'nginx staples from a responder named by host name but has no resolver: the name is resolved only at start-up, or never.',
  citation: 'nginx ngx_http_ssl_module (ssl_stapling, resolver); RFC 7633 §4.2.3',
  severity: severityIn('warning'),
  appliesTo: ({ block }) =>
    block.software === 'nginx' && staplingOn(block) && !block.staplingFile && !block.resolver,
  check(ctx) {
    const responder = responderOf(ctx)
    const host = responder && hostName(responder.url)
    if (!responder || !host) return []
    return [
      {
        at: staplingAt(ctx.block),
        ...(ctx.cert.mustStaple ? { severity: 'error' as const } : {}),
        message:
          `ssl_stapling is on for ${ctx.block.name}, but the responder ${responder.url} (from ${responder.from}) is a host name ` +
          `and no resolver is configured: nginx resolves ${host} only once, at start-up; if it does not resolve then, nginx ignores ssl_stapling ` +
          `for this certificate and never staples, and if it does, nginx keeps that address until restarted ("no resolver defined to resolve ${host}") ` +
          `and stops stapling when the responder moves${ctx.cert.mustStaple ? ', which clients reject for this Must-Staple certificate' : ''}. ` +
          'Add a resolver, an IP-literal ssl_stapling_responder, or ssl_stapling_file.',
      },
    ]
  },
}
