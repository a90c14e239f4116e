import { hostnameMatches } from '../chain/hostname.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 9525 §6.3-6.4: a client accepts the leaf only for a name its
// subjectAltName covers (a DNS-ID, a wildcard for exactly one left-most
// label, or an IP address); the subject CN no longer counts. A leaf about to
// be deployed for a name it does not cover fails every handshake for that
// name, so the names the deployment serves (--expect-name for every leaf,
// config `expect: [{path, names}]` per file) are checked before it ships.
export const rule: Rule = {
  id: 'name-not-covered',
  description:
    "A name the deployment expects (--expect-name; action input expect-names; config expect) is not covered by the leaf's subjectAltName.",
  citation: 'RFC 9525 §6.3, §6.4',
  severity: severityIn('error'),
  appliesTo: ({ role, expectedNames }) => role === 'leaf' && (expectedNames?.length ?? 0) > 0,
  check: ({ cert, expectedNames = [] }) => {
    const names = [...(cert.san?.dns ?? []), ...(cert.san?.ip ?? [])]
    const has = names.length
      ? `its subjectAltName names ${names.join(', ')}`
      : 'it has no DNS name or IP address in its subjectAltName'
    return [...new Set(expectedNames)]
      .filter((name) => !hostnameMatches(cert, name))
      .map((name) => ({
        message: `the leaf does not cover ${name}: ${has}, so clients connecting to ${name} reject it (RFC 9525 §6)`,
      }))
  },
}
