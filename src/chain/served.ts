import type { Cert } from '../model/cert.js'
import { issues, isSelfSigned } from './issuance.js'
import type { ServedChainAnalysis } from './types.js'

const label = (certs: readonly Cert[], i: number) => `certificate ${i} (${certs[i].subject})`

/**
 * Reads one file's certificates as a served chain: leaf first, each
 * certificate issued by the one that follows it (RFC 8446 §4.4.2, RFC 5246
 * §7.4.2). Reports certificates out of place with where they belong, exact
 * duplicates, and included self-signed roots (allowed but wasted bytes:
 * RFC 8446 §4.4.2 lets the root be omitted since the client must already
 * have it).
 *
 * A file is read as a chain only when its distinct certificates are all
 * linked by issuance into one group; a CA bundle or trust store of unrelated
 * certificates is not a chain, and its order means nothing (isChain false).
 */
export function analyzeServedChain(certs: readonly Cert[]): ServedChainAnalysis {
  const duplicateOf = new Map<number, number>()
  const firstIndex = new Map<string, number>()
  certs.forEach((cert, i) => {
    const first = firstIndex.get(cert.sha256)
    if (first === undefined) firstIndex.set(cert.sha256, i)
    else duplicateOf.set(i, first)
  })
  const distinct = [...firstIndex.values()]
  // issuerOf[i]: the index of the certificate in the file that issues certificate i.
  const issuerOf = new Map<number, number>()
  for (const i of distinct) {
    const issuer = distinct.find((j) => j !== i && issues(certs[j], certs[i]))
    if (issuer !== undefined) issuerOf.set(i, issuer)
  }
  const isChain = distinct.length > 1 && linkedAsOne(distinct, issuerOf)
  const analysis: ServedChainAnalysis = { isChain, outOfOrder: new Map(), duplicateOf, roots: [] }
  if (!isChain) return analysis

  analysis.roots = distinct.filter((i) => isSelfSigned(certs[i]))
  const issued = new Set(issuerOf.values())
  const leaf = distinct.find((i) => !issued.has(i))
  if (leaf === undefined) return analysis
  if (leaf !== distinct[0]) {
    analysis.outOfOrder.set(leaf, `${label(certs, leaf)} is the end-entity certificate and should come first`)
  }
  // Walk the issuance chain from the leaf; each issuer must directly follow its subject.
  const seen = new Set([leaf])
  for (let subject = leaf, issuer = issuerOf.get(leaf); issuer !== undefined && !seen.has(issuer);) {
    seen.add(issuer)
    const position = distinct.indexOf(issuer)
    if (distinct[position - 1] !== subject) {
      analysis.outOfOrder.set(
        issuer,
        `${label(certs, issuer)} issues certificate ${subject} and should directly follow it`,
      )
    }
    subject = issuer
    issuer = issuerOf.get(issuer)
  }
  return analysis
}

/** Whether the issuance links connect every certificate into one group. */
function linkedAsOne(indices: readonly number[], issuerOf: ReadonlyMap<number, number>): boolean {
  const group = new Map(indices.map((i) => [i, i]))
  const find = (i: number): number => {
    while (group.get(i) !== i) i = group.get(i)!
    return i
  }
  for (const [subject, issuer] of issuerOf) group.set(find(subject), find(issuer))
  const representative = find(indices[0])
  return indices.every((i) => find(i) === representative)
}
