// A file holding a leaf and other certificates is judged as a server sending
// it would be: the leaf's path built from that file and the trust anchors
// alone, as `openssl verify -untrusted FILE -CAfile ANCHORS` and every
// client without a cache of intermediates do (DESIGN.md "Verdicts"). A path
// that only closes with a certificate from another file, --issuer or
// caIssuers passes the scan but breaks the clients the file is served to.
import type { Cert } from '../model/cert.js'
import type { CertFacts } from './index.js'
import { issues } from './issuance.js'
import { buildPath } from './path.js'
import { IssuerPool } from './pool.js'
import type { PathContext, ServedPathJudgement } from './types.js'

const NOTHING_TO_JUDGE: ServedPathJudgement = Object.freeze({ unrelated: new Map<number, string>() })

/**
 * Judges one file's certificates as a served chain. Only a file with exactly
 * one leaf and at least one other certificate is a served chain; others
 * (a lone leaf, a CA bundle, a bundle of leaves) get nothing.
 *
 * - `incomplete`: the leaf's path reaches a trust anchor in the scan but not
 *   from this file, with the certificates the file lacks named;
 * - `unrelated`: certificates neither on the leaf's path nor issuing one on
 *   it (RFC 8446 §4.4.2, RFC 5246 §7.4.2): a stale intermediate left in
 *   fullchain.pem, another site's certificate.
 */
export async function judgeServedPath(
  certs: readonly Cert[],
  factsOf: (cert: Cert) => CertFacts,
  context: Omit<PathContext, 'pool' | 'fetchIssuer'>,
): Promise<ServedPathJudgement> {
  const distinct = [...new Map(certs.map((c) => [c.sha256, c])).values()]
  const leaves = distinct.filter((c) => factsOf(c).role === 'leaf')
  if (distinct.length < 2 || leaves.length !== 1) return NOTHING_TO_JUDGE
  const [leaf] = leaves
  const scanned = factsOf(leaf).path
  // Nothing fetched, nothing from other files: what the client receives and what it trusts.
  const served = await buildPath(leaf, {
    pool: new IssuerPool(distinct, 'scan'),
    anchors: context.anchors,
    now: context.now,
    purpose: context.purpose,
    maxIntermediates: context.maxIntermediates,
  })

  const related = new Set([...issuedAbove(leaf, distinct), ...(scanned?.path ?? []).map((c) => c.sha256)])
  const unrelated = new Map<number, string>()
  // One finding per unrelated certificate; a second copy of it is chain-duplicate's.
  const flagged = new Set<string>()
  certs.forEach((cert, index) => {
    if (related.has(cert.sha256) || flagged.has(cert.sha256)) return
    flagged.add(cert.sha256)
    unrelated.set(
      index,
      `certificate ${index} (${cert.subject}) is not on the path of the leaf ${leaf.subject}: ` +
        'clients expect every certificate after the leaf to certify the one before it; remove it from the file',
    )
  })

  if (!scanned?.anchorSource || served.anchorSource) return { unrelated }
  const inFile = new Set(distinct.map((c) => c.sha256))
  const missing = scanned.path.slice(1, -1).filter((c) => !inFile.has(c.sha256))
  const top = served.path[served.path.length - 1]
  const named = missing.map((c) => `${c.subject} (from ${c.source.file})`).join(', ')
  return {
    unrelated,
    incomplete: {
      index: certs.indexOf(leaf),
      message:
        `served as it is, this file's chain stops at ${top.subject}: clients also need ${named || 'a certificate from elsewhere'}, ` +
        'which this file does not hold (openssl verify -untrusted on the file fails); add it after the certificate it issues',
    },
  }
}

/** The leaf and every certificate of the file that issues it, or issues one of those, and so on. */
function issuedAbove(leaf: Cert, certs: readonly Cert[]): Set<string> {
  const reached = new Set([leaf.sha256])
  const queue = [leaf]
  for (let cert = queue.shift(); cert; cert = queue.shift()) {
    for (const candidate of certs) {
      if (reached.has(candidate.sha256) || !issues(candidate, cert)) continue
      reached.add(candidate.sha256)
      queue.push(candidate)
    }
  }
  return reached
}
