import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 5958 §3 (EncryptedPrivateKeyInfo) and RFC 1421 §4.6.1.1 (the legacy
// `Proc-Type: 4,ENCRYPTED` header): an encrypted key cannot be matched to its
// certificate without the passphrase, and certgate never asks for one (a
// pipeline has nobody to type it). The server needs the passphrase at every
// start too (nginx ssl_password_file, Apache SSLPassPhraseDialog), so the key
// is reported unchecked rather than silently passed.
export const rule: RuleInfo = {
  id: 'key-encrypted',
  description:
    'A private key named to be matched (--key; action input keys; config key) is encrypted, so it could not be matched to a certificate (no passphrase is asked for).',
  citation: 'RFC 5958 §3; RFC 1421 §4.6.1.1',
  severity: severityIn('warning'),
}
