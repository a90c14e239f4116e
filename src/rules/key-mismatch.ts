import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 8446 §4.4.2-4.4.3: the server proves possession of the private key that
// belongs to the leaf's public key by signing CertificateVerify with it. A
// key that belongs to no leaf being deployed means the server either refuses
// to start (nginx: "key values mismatch") or serves a certificate it cannot
// use. Reported on the key file by src/keys/ for each `--key FILE`.
export const rule: RuleInfo = {
  id: 'key-mismatch',
  description:
    'A private key named to be matched (--key; action input keys; config key) belongs to none of the checked leaf certificates.',
  citation: 'RFC 8446 §4.4.2, §4.4.3',
  severity: severityIn('error'),
}
