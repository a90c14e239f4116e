import { indexInFile } from '../chain/path-findings.js'
import type { Rule } from './rule.js'

// RFC 8446 §4.4.2 wants each certificate to certify the one before it; a
// repeated certificate certifies nothing, costs handshake bytes and usually
// means a deploy script concatenated the same file twice.
export const rule: Rule = {
  id: 'chain-duplicate',
  description: 'The same certificate appears more than once in one file.',
  citation: 'RFC 8446 §4.4.2',
  severity: {
    'public-tls': 'warning',
    'private-tls': 'warning',
    'client-tls': 'warning',
    rfc5280: 'warning',
  },
  appliesTo: (ctx) => ctx.served.duplicateOf.size > 0,
  check: (ctx) => {
    const first = ctx.served.duplicateOf.get(indexInFile(ctx))
    if (first === undefined) return []
    return [
      {
        message: `certificate ${indexInFile(ctx)} (${ctx.cert.subject}) repeats certificate ${first}; remove the copy`,
      },
    ]
  },
}
