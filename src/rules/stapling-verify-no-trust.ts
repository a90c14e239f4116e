import type { ServerBlockRule } from './rule.js'
import { staplingDirective, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// nginx docs, ssl_stapling_verify: "For verification to work, the
// certificate of the server certificate issuer, the root certificate, and
// all intermediate certificates should be configured as trusted using the
// ssl_trusted_certificate directive." nginx looks for the issuer in the
// chain it sends, then in the trusted certificates; mod_ssl verifies every
// response it fetches and finds the issuer the same way (SSLCertificateChainFile,
// SSLCACertificateFile). Without it the server staples nothing.
export const rule: ServerBlockRule = {
  id: 'stapling-verify-no-trust',
  description:
    'Stapling verifies responses, but the issuer of the certificate is in neither the chain sent nor the trusted certificates.',
  citation:
    'nginx ngx_http_ssl_module (ssl_stapling_verify, ssl_trusted_certificate); Apache mod_ssl (SSLUseStapling)',
  severity: severityIn('warning'),
  appliesTo: ({ block }) =>
    staplingOn(block) && (block.software === 'apache' || block.staplingVerify?.value === true),
  check({ block, cert, issuerAvailable }) {
    if (issuerAvailable) return []
    const at = block.software === 'nginx' ? block.staplingVerify! : (block.stapling ?? block.at)
    const where =
      block.software === 'nginx'
        ? `the chain in ${block.pairs[0]?.certificate.value ?? 'ssl_certificate'} nor ${block.trusted ? `ssl_trusted_certificate ${block.trusted.value}` : 'an ssl_trusted_certificate'}`
        : `SSLCertificateFile/SSLCertificateChainFile nor ${block.trusted ? `SSLCACertificateFile ${block.trusted.value}` : 'an SSLCACertificateFile'}`
    return [
      {
        at,
        message:
          `${staplingDirective(block)} verifies OCSP responses for ${block.name}, but the issuer of ${cert.subject} (${cert.issuer}) is in neither ${where}: ` +
          'the server cannot verify a response and staples nothing. Add the issuer (and the rest of the chain) to the trusted certificates.',
      },
    ]
  },
}
