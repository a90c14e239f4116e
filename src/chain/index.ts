// The chain stage of check(): reads every file as a served chain, builds and
// validates a path for every leaf and intermediate (once per distinct
// certificate, however many files repeat it), and gives each certificate its
// role and issuer for the rules and the revocation stage.
import { ITEMS_PER_TURN, nextTurn } from '../event-loop.js'
import { TrustAnchors } from './anchors.js'
import { isV1Root } from './issuance.js'
import { buildPath } from './path.js'
import { IssuerPool } from './pool.js'
import { analyzeServedChain } from './served.js'
import { judgeServedPath } from './served-path.js'
import type { IssuerFetcher, PathResult, ServedChainAnalysis, ServedPathJudgement } from './types.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Role } from '../model/types.js'
import type { CheckOptions } from '../options.js'

export interface CertFacts {
  role: Role
  path?: PathResult
  /** The certificate's issuer when one was found (the next certificate on its path). */
  issuer?: Cert
}

/** Where a certificate on a path came from: a scanned file, --issuer, --trust, the system store, or a caIssuers URL. */
export type ChainOrigin = 'scan' | 'issuer' | 'trust' | 'system' | 'caIssuers'

export interface ChainAnalysis {
  served: Map<LoadedFile, ServedChainAnalysis>
  /** Each file judged as a server sending it would be (served-path.ts). */
  servedPaths: Map<LoadedFile, ServedPathJudgement>
  of(cert: Cert): CertFacts
  /** The origin of `cert`, a certificate on `path`. */
  originOf(cert: Cert, path: PathResult): ChainOrigin
}

/**
 * A self-signed CA is a root; any other CA an intermediate; everything else
 * a leaf (RFC 5280 §3.2 and §4.2.1.9). A self-signed version 1 certificate
 * has no extensions to say cA and is a root, as RFC 5280 §6.1 and OpenSSL
 * accept (old roots still in trust stores are v1). A CA whose keyUsage
 * forbids keyCertSign cannot issue (§4.2.1.3) and is judged by its place:
 * the CA it claims to be when a certificate of the scan names it as issuer
 * (`issuesInScan`; their paths then fail, §6.1.4 (n)), otherwise an
 * end-entity certificate with a wrong basicConstraints.
 */
export function roleOf(cert: Cert, issuesInScan = false): Role {
  if (!cert.basicConstraints?.ca) return isV1Root(cert) ? 'root' : 'leaf'
  if (cert.selfIssued) return 'root'
  const KEY_CERT_SIGN = 32
  if (cert.keyUsage && !(cert.keyUsage.flags & KEY_CERT_SIGN) && !issuesInScan) return 'leaf'
  return 'intermediate'
}

export async function analyzeChains(
  files: readonly LoadedFile[],
  input: { options: CheckOptions; trusted: Cert[]; issuers: Cert[]; fetchIssuer?: IssuerFetcher },
): Promise<ChainAnalysis> {
  const served = new Map<LoadedFile, ServedChainAnalysis>()
  for (const file of files) served.set(file, analyzeServedChain(file.certs))

  const pool = new IssuerPool(
    files.flatMap((f) => f.certs),
    'scan',
  )
  for (const cert of input.issuers) pool.add(cert, 'issuer')
  const anchors = new TrustAnchors({ trusted: input.trusted, system: true })
  const context = {
    pool,
    anchors,
    now: input.options.now,
    purpose: input.options.profile === 'client-tls' ? ('client' as const) : ('server' as const),
    fetchIssuer: input.fetchIssuer,
  }

  // Names some scanned certificate gives as its issuer (a certificate's own, when self-issued, does not count).
  const issuerNames = new Set(
    [...files.flatMap((f) => f.certs), ...input.issuers].filter((c) => !c.selfIssued).map((c) => c.issuerKey),
  )

  // Certificates the run was given, by identity; the pool adds only caIssuers fetches beside them.
  const given = new Map<Cert, ChainOrigin>()
  for (const cert of files.flatMap((f) => f.certs)) given.set(cert, 'scan')
  for (const cert of input.issuers) given.set(cert, 'issuer')
  for (const cert of input.trusted) given.set(cert, 'trust')

  const bySha = new Map<string, CertFacts>()
  for (const file of files) {
    for (const cert of file.certs) {
      if (bySha.has(cert.sha256)) continue
      if (bySha.size % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn()
      const role = roleOf(cert, issuerNames.has(cert.subjectKey))
      const path = role === 'root' ? undefined : await buildPath(cert, context)
      bySha.set(cert.sha256, { role, path, issuer: path && path.path.length > 1 ? path.path[1] : undefined })
    }
  }
  const of = (cert: Cert): CertFacts =>
    bySha.get(cert.sha256) ?? { role: roleOf(cert, issuerNames.has(cert.subjectKey)) }
  const servedPaths = new Map<LoadedFile, ServedPathJudgement>()
  for (const file of files) servedPaths.set(file, await judgeServedPath(file.certs, of, context))
  return {
    served,
    servedPaths,
    of,
    originOf: (cert, path) => {
      const anchor = path.anchorSource && cert === path.path[path.path.length - 1]
      if (anchor && path.anchorSource !== 'aia') return path.anchorSource as ChainOrigin
      return given.get(cert) ?? 'caIssuers'
    },
  }
}
