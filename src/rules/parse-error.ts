import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5280 §4.1: "The certificate is a SEQUENCE of three required fields ...
// encoded using the ASN.1 distinguished encoding rules (DER)". Bytes that do
// not decode as a certificate cannot be linted or checked for revocation;
// the loader reports them under this rule and goes on with the other files.
export const rule: RuleInfo = {
  id: 'parse-error',
  description: 'The file, or a block in it, could not be read as a certificate, OCSP response or CRL.',
  citation: 'RFC 5280 §4.1',
  severity: severityIn('error'),
}
