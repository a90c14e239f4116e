import { indexInFile } from '../chain/path-findings.js'
import type { Rule } from './rule.js'

// RFC 8446 §4.4.2: "Each following certificate SHOULD directly certify the
// one immediately preceding it"; RFC 5246 §7.4.2 makes it a MUST for TLS 1.2.
// A certificate on no path of the leaf (a stale intermediate left in
// fullchain.pem after a CA change, another site's certificate) makes strict
// clients reject the handshake and hides a missing intermediate from the eye.
export const rule: Rule = {
  id: 'chain-unrelated',
  description:
    'A chain file holds a certificate that is on no path of its leaf: clients reject what they cannot place.',
  citation: 'RFC 8446 §4.4.2; RFC 5246 §7.4.2',
  severity: { 'public-tls': 'error', 'private-tls': 'error', 'client-tls': 'error', rfc5280: 'warning' },
  appliesTo: (ctx) => (ctx.servedPath?.unrelated.size ?? 0) > 0,
  check: (ctx) => {
    const why = ctx.servedPath?.unrelated.get(indexInFile(ctx))
    return why ? [{ message: why }] : []
  },
}
