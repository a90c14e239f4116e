import type { ServerBlockRule } from './rule.js'
import { hostName, responderOf, staplingAt, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// nginx docs, ngx_http_ssl_module, ssl_stapling: "For a resolution of the
// OCSP responder hostname, the resolver directive should also be specified."
// Without one nginx logs "no resolver defined to resolve HOST" on every
// attempt and never staples; an IP-literal responder or ssl_stapling_file
// needs no resolver. Must-Staple (RFC 7633 §4.2.3) makes the missing staple fatal.
export const rule: ServerBlockRule = {
  id: 'stapling-no-resolver',
  description:
    'nginx staples from a responder named by host name but has no resolver: it never fetches a response.',
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
          `and no resolver is configured: nginx never fetches a response ("no resolver defined to resolve ${host}") and serves no staple` +
          `${ctx.cert.mustStaple ? ', which clients reject for this Must-Staple certificate' : ''}. ` +
          'Add a resolver, an IP-literal ssl_stapling_responder, or ssl_stapling_file.',
      },
    ]
  },
}
