import type { ServerBlockRule } from './rule.js'
import { staplingAt, staplingDirective, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// RFC 7633 §4.2.3: a client that sees the TLS Feature status_request in the
// certificate and gets no stapled response must treat the certificate as
// invalid. Stapling is off unless switched on (nginx ssl_stapling and Apache
// SSLUseStapling both default to off), so every handshake fails.
export const rule: ServerBlockRule = {
  id: 'must-staple-stapling-off',
  description: 'The leaf is Must-Staple (TLS Feature status_request) but the server has stapling off.',
  citation: 'RFC 7633 §4.2.3; nginx ngx_http_ssl_module (ssl_stapling); Apache mod_ssl (SSLUseStapling)',
  severity: severityIn('error'),
  appliesTo: ({ cert }) => cert.mustStaple,
  check({ block, cert }) {
    if (staplingOn(block)) return []
    const how = block.stapling ? 'is off' : 'is not set (off by default)'
    return [
      {
        at: staplingAt(block),
        message: `${cert.subject} is Must-Staple (TLS Feature status_request, RFC 7633), but ${staplingDirective(block)} ${how} for ${block.name}: clients reject every handshake. Turn stapling on.`,
      },
    ]
  },
}
