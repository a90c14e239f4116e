import type { Cert } from '../model/cert.js'
import { issues, isSelfSigned } from './issuance.js'
import type { ServedChainAnalysis } from './types.js'

const SINGLE_CERTIFICATE: ServedChainAnalysis = Object.freeze({
  isChain: false,
  outOfOrder: new Map<number, string>(),
  duplicateOf: new Map<number, number>(),
  roots: [],
})

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
  // Most files hold one certificate: they share one empty analysis instead of two maps apiece.
  if (certs.length <= 1) return SINGLE_CERTIFICATE
  const duplicateOf = new Map<number, number>()
  const firstIndex = new Map<string, number>()
  certs.forEach((cert, i) => {
    const first = firstIndex.get(cert.sha256)
    if (first === undefined) firstIndex.set(cert.sha256, i)
    else duplicateOf.set(i, first)
  })
  const distinct = [...firstIndex.values()]
  // Candidates by subject name, so a bundle of thousands is not read pair by pair.
  const bySubject = new Map<string, number[]>()
  for (const j of distinct) {
    const named = bySubject.get(certs[j].subjectKey)
    if (named) named.push(j)
    else bySubject.set(certs[j].subjectKey, [j])
  }
  // issuerOf[i]: the index of the certificate in the file that issues certificate i.
  const issuerOf = new Map<number, number>()
  for (const i of distinct) {
    const issuer = bySubject.get(certs[i].issuerKey)?.find((j) => j !== i && issues(certs[j], certs[i]))
    if (issuer !== undefined) issuerOf.set(i, issuer)
  }
  const isChain = distinct.length > 1 && linkedAsOne(distinct, issuerOf)
  const outOfOrder = new Map<number, string>()
  const analysis: ServedChainAnalysis = { isChain, outOfOrder, duplicateOf, roots: [] }
  if (!isChain) return analysis

  analysis.roots = distinct.filter((i) => isSelfSigned(certs[i]))
  const issued = new Set(issuerOf.values())
  const leaves = distinct.filter((i) => !issued.has(i))
  // Two end-entity certificates under one issuer are a bundle, not one served chain.
  if (leaves.length !== 1) return { ...analysis, isChain: false, roots: [] }

  // The order a server must send: the leaf, then each issuer in turn.
  const expected = [leaves[0]]
  const placed = new Set(expected)
  for (
    let next = issuerOf.get(leaves[0]);
    next !== undefined && !placed.has(next);
    next = issuerOf.get(next)
  ) {
    expected.push(next)
    placed.add(next)
  }
  const position = distinct.findIndex((index, i) => expected[i] !== index)
  if (position >= 0 && position < expected.length) {
    // One finding per file, on the first certificate out of place, naming the whole fix.
    const found = distinct[position]
    const wanted = expected[position]
    outOfOrder.set(
      found,
      `served chain out of order: ${label(certs, found)} is where ${label(certs, wanted)} belongs; ` +
        `send ${expected.join(', ')} (the leaf first, then each certificate's issuer)`,
    )
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
