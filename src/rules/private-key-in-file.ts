import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// CA/B BR 4.9.1.1 lists a compromised subscriber key as a reason the CA must
// revoke within 24 hours; a private key committed next to the certificate is
// readable by everyone with access to the repository (CWE-312). The loader
// reports it under this rule when a PEM PRIVATE KEY block sits in a scanned file.
export const rule: RuleInfo = {
  id: 'private-key-in-file',
  description:
    'A private key is stored in a scanned certificate file; anyone who can read the repository holds it.',
  citation: 'CA/B BR 4.9.1.1 (key compromise); CWE-312',
  severity: severityIn('warning'),
}
