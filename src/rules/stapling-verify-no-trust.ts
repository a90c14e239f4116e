import type { ServerBlockRule } from './rule.js'
import { staplingAt, staplingDirective, staplingOn } from './support/stapling.js'
import { severityIn } from './support/profiles.js'

// nginx docs, ssl_stapling_verify: "For verification to work, the
// certificate of the server certificate issuer, the root certificate, and
// all intermediate certificates should be configured as trusted using the
// ssl_trusted_certificate directive." The issuer is needed before that: an
// OCSP request names the certificate by its issuer's name and key hashes
// (RFC 6960 §4.1.1 CertID), so nginx looks for the issuer in the chain it
// sends, then in ssl_trusted_certificate, and without it ignores
// ssl_stapling for the certificate whether or not it verifies ("issuer
// certificate not found", seen in __tests__/server-config). mod_ssl does the
// same with SSLCertificateChainFile and SSLCACertificateFile and verifies
// every response it fetches. A stored ssl_stapling_file needs no issuer.
export const rule: ServerBlockRule = {
  id: 'stapling-verify-no-trust',
  description:
    'Stapling is on, but the issuer of the certificate is in neither the chain sent nor the trusted certificates: the server can neither ask for nor verify a response.',
  citation:
    'nginx ngx_http_ssl_module (ssl_stapling_verify, ssl_trusted_certificate); Apache mod_ssl (SSLUseStapling); RFC 6960 §4.1.1',
  severity: severityIn('warning'),
  appliesTo: ({ block }) => staplingOn(block) && !block.staplingFile,
  check({ block, cert, issuerAvailable }) {
    if (issuerAvailable) return []
    const nginx = block.software === 'nginx'
    const where = nginx
      ? `the chain in ${block.pairs[0]?.certificate.value ?? 'ssl_certificate'} nor ${block.trusted ? `ssl_trusted_certificate ${block.trusted.value}` : 'an ssl_trusted_certificate'}`
      : `SSLCertificateFile/SSLCertificateChainFile nor ${block.trusted ? `SSLCACertificateFile ${block.trusted.value}` : 'an SSLCACertificateFile'}`
    const verifying = !nginx || block.staplingVerify?.value === true
    return [
      {
        // On ssl_stapling_verify when that is what asks for the trusted certificates, else on the stapling switch.
        at: nginx && block.staplingVerify?.value ? block.staplingVerify : staplingAt(block),
        ...(cert.mustStaple ? { severity: 'error' as const } : {}),
        message:
          `${staplingDirective(block)} is on for ${block.name}, but the issuer of ${cert.subject} (${cert.issuer}) is in neither ${where}: ` +
          `the server cannot name the certificate in an OCSP request${verifying ? ' nor verify a response' : ''}` +
          `${nginx ? ' ("ssl_stapling" ignored, issuer certificate not found)' : ''} and staples nothing` +
          `${cert.mustStaple ? ', which clients reject for this Must-Staple certificate' : ''}. ` +
          'Add the issuer (and the rest of the chain) to the chain sent or the trusted certificates.',
      },
    ]
  },
}
