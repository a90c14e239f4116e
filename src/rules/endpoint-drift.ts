import type { RuleInfo } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 8446 §4.4.2: the server's Certificate message is what clients judge,
// whatever the repository holds. `--endpoint HOST[:PORT]=FILE` names the
// file a deployment was meant to put there; a different leaf (a reload that
// never happened, a forgotten node) or the same leaf with another chain
// means the reviewed certificate is not the one in service. Reported by the
// endpoint stage, naming both SHA-256 fingerprints.
export const rule: RuleInfo = {
  id: 'endpoint-drift',
  description:
    'The endpoint serves another leaf or chain than the certificate file it was named with (--endpoint HOST=FILE; action input endpoints; config endpoints with serves).',
  citation: 'RFC 8446 §4.4.2',
  severity: severityIn('error'),
}
