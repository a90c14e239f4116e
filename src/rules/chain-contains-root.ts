import { indexInFile } from '../chain/path-findings.js'
import type { Rule } from './rule.js'

// RFC 8446 §4.4.2: "a certificate that specifies a trust anchor MAY be
// omitted from the chain, provided that supported peers are known to
// possess any omitted certificates". A client never trusts a root because
// the server sent it, so serving it only costs bytes in every handshake.
export const rule: Rule = {
  id: 'chain-contains-root',
  description: 'A served chain includes its self-signed root, which clients must already have.',
  citation: 'RFC 8446 §4.4.2',
  severity: { 'public-tls': 'info', 'private-tls': 'info', 'client-tls': 'info', rfc5280: 'info' },
  appliesTo: (ctx) => ctx.served.isChain && ctx.served.roots.length > 0,
  check: (ctx) =>
    ctx.served.roots.includes(indexInFile(ctx))
      ? [
          {
            message: `the chain includes the self-signed root ${ctx.cert.subject}; clients ignore it, so it can be left out`,
          },
        ]
      : [],
}
