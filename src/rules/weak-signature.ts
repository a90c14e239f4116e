import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// CA/B BR 7.1.3.2 lists the only signature algorithms a CA may use; MD2, MD5
// and SHA-1 are not among them (SHA-1 collisions: SHAttered 2017, chosen-prefix
// 2020). RFC 6151 §2 and RFC 9155 retire MD5 and SHA-1 signatures in TLS. A
// self-signed root's own signature is not relied upon (RFC 5280 §6.1: the
// trust anchor is taken as given), so roots are not judged.
const BROKEN_HASHES = ['MD2', 'MD5', 'SHA-1']

export const rule: Rule = {
  id: 'weak-signature',
  description:
    'The certificate is signed with MD2, MD5 or SHA-1, whose collisions let others forge certificates.',
  citation: 'CA/B BR 7.1.3.2; RFC 6151 §2; RFC 9155',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.role !== 'root',
  check({ cert }) {
    const { hash, name } = cert.signatureAlgorithm
    if (!hash || !BROKEN_HASHES.includes(hash)) return []
    return [
      {
        message: `Signed with ${name} (${hash}); collisions make ${hash} signatures forgeable, and the BR permit only SHA-256 or stronger (BR 7.1.3.2).`,
      },
    ]
  },
}
