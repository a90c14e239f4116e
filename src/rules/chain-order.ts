import { indexInFile } from '../chain/path-findings.js'
import type { Rule } from './rule.js'

// RFC 8446 §4.4.2: "The sender's certificate MUST come in the first
// CertificateEntry in the list. Each following certificate SHOULD directly
// certify the one immediately preceding it." RFC 5246 §7.4.2 makes the same
// order a MUST for TLS 1.2, and strict clients (Java, older OpenSSL, IoT
// stacks) reject a chain served in another order.
export const rule: Rule = {
  id: 'chain-order',
  description: 'The certificates of a chain file are not leaf first, each followed by its issuer.',
  citation: 'RFC 8446 §4.4.2; RFC 5246 §7.4.2',
  severity: { 'public-tls': 'error', 'private-tls': 'error', 'client-tls': 'error', rfc5280: 'warning' },
  appliesTo: (ctx) => ctx.served.isChain,
  check: (ctx) => {
    const why = ctx.served.outOfOrder.get(indexInFile(ctx))
    return why ? [{ message: why }] : []
  },
}
