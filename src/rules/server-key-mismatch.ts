import type { ServerBlockRule } from './rule.js'
import { severityIn } from './support/profiles.js'

// A TLS server proves possession of the private key matching the public key
// in the certificate it sends (RFC 8446 §4.4.3 CertificateVerify). nginx
// (ssl_certificate_key) and mod_ssl (SSLCertificateKeyFile) refuse to start
// with a key that does not match ("key values mismatch", AH02565), so a
// deploy with the wrong key takes the site down. Key material is never printed.
export const rule: ServerBlockRule = {
  id: 'server-key-mismatch',
  description: 'The private key a server block names does not belong to its certificate, or cannot be read.',
  citation:
    'RFC 8446 §4.4.3; nginx ngx_http_ssl_module (ssl_certificate_key); Apache mod_ssl (SSLCertificateKeyFile)',
  severity: severityIn('error'),
  appliesTo: ({ key }) => key !== undefined,
  check({ key, pair, cert, block }) {
    const directive = block.software === 'nginx' ? 'ssl_certificate_key' : 'SSLCertificateKeyFile'
    const at = pair.key ?? pair.certificate
    if (key!.status === 'match') return []
    if (key!.status === 'unusable') {
      return [
        {
          at,
          message: `${directive} ${at.value}: ${key!.reason}; the server cannot load it for ${cert.subject}.`,
        },
      ]
    }
    return [
      {
        at,
        message: `${directive} ${at.value} is not the private key of ${cert.subject} (${pair.certificate.value}): the public keys differ, and the server refuses to start with this pair.`,
      },
    ]
  },
}
