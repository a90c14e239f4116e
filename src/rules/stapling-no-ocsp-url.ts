import type { ServerBlockRule } from './rule.js'
import { staplingAt, staplingDirective, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// RFC 6066 §8: the server staples a response it got from the certificate's
// OCSP responder; RFC 6960 §4.2.2.1 / RFC 5280 §4.2.2.1: the responder is
// named in Authority Information Access. Certificates from CAs that publish
// only CRLs (Let's Encrypt since 2025) name none, so with no responder set in
// the configuration and no stored response there is nothing to staple; nginx
// logs "no OCSP responder URL in the certificate", mod_ssl "no OCSP URI in
// certificate and no SSLStaplingForceURL set" (AH02218, seen in __tests__/server-config).
export const rule: ServerBlockRule = {
  id: 'stapling-no-ocsp-url',
  description:
    'Stapling is on, but the certificate names no OCSP responder and the configuration sets none: nothing to staple.',
  citation:
    'RFC 6066 §8; RFC 5280 §4.2.2.1; nginx ngx_http_ssl_module (ssl_stapling_responder); Apache mod_ssl (SSLStaplingForceURL)',
  severity: severityIn('warning'),
  appliesTo: ({ block }) => staplingOn(block) && !block.staplingFile && !block.staplingResponder,
  check({ block, cert }) {
    if (cert.ocspUrls.length > 0) return []
    return [
      {
        at: staplingAt(block),
        message: `${staplingDirective(block)} is on for ${block.name}, but ${cert.subject} names no OCSP responder (no OCSP URL in Authority Information Access) and the configuration sets none: the server has nothing to staple.`,
      },
    ]
  },
}
