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
import { Incidents, injectFault } from '../contain.js'
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
  /**
   * Certificates judged as one served chain, as a file is: for a server that
   * sends two files (Apache's SSLCertificateFile and SSLCertificateChainFile).
   */
  judgeServed(
    certs: readonly Cert[],
  ): Promise<{ served: ServedChainAnalysis; servedPath: ServedPathJudgement }>
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
  input: {
    options: CheckOptions
    trusted: Cert[]
    issuers: Cert[]
    fetchIssuer?: IssuerFetcher
    /** Where a failure on one file or certificate is kept; it does not stop the others. */
    incidents?: Incidents
  },
): Promise<ChainAnalysis> {
  const incidents = input.incidents ?? new Incidents()
  const served = new Map<LoadedFile, ServedChainAnalysis>()
  for (const file of files) {
    const analysis = incidents.guard(
      file,
      'reading the file as a served chain',
      () => (injectFault('chain', file.file), analyzeServedChain(file.certs)),
      () => analyzeServedChain([]),
    )
    served.set(file, analysis)
  }

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
    deadline: input.options.runDeadline,
    advise: input.options.advise,
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

  // Every scanned certificate whose issuer is nowhere in sight has its caIssuers fetched at once
  // (within --concurrency), not one certificate's after another's as the paths are built.
  if (input.fetchIssuer) {
    for (const cert of files.flatMap((f) => f.certs)) {
      const orphan = !cert.selfIssued && pool.candidatesFor(cert).length === 0
      if (orphan && anchors.candidatesFor(cert).length === 0) pool.prefetchIssuers(cert, input.fetchIssuer)
    }
  }

  const bySha = new Map<string, CertFacts>()
  for (const file of files) {
    for (const cert of file.certs) {
      if (bySha.has(cert.sha256)) continue
      if (bySha.size % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn()
      const role = roleOf(cert, issuerNames.has(cert.subjectKey))
      const path =
        role === 'root'
          ? undefined
          : await incidents.guardAsync(
              cert.sha256,
              'building and validating its chain',
              async () => (injectFault('chain', `${cert.sha256} ${file.file}`), buildPath(cert, context)),
              () => undefined,
            )
      bySha.set(cert.sha256, { role, path, issuer: path && path.path.length > 1 ? path.path[1] : undefined })
    }
  }
  const of = (cert: Cert): CertFacts =>
    bySha.get(cert.sha256) ?? { role: roleOf(cert, issuerNames.has(cert.subjectKey)) }
  const servedPaths = new Map<LoadedFile, ServedPathJudgement>()
  for (const file of files) {
    const judgement = await incidents.guardAsync(
      file,
      'judging the file as the chain a server sends',
      () => judgeServedPath(file.certs, of, context),
      () => undefined,
    )
    if (judgement) servedPaths.set(file, judgement)
  }
  return {
    served,
    servedPaths,
    of,
    judgeServed: async (certs) => ({
      served: analyzeServedChain(certs),
      servedPath: await judgeServedPath(certs, of, context),
    }),
    originOf: (cert, path) => {
      const anchor = path.anchorSource && cert === path.path[path.path.length - 1]
      if (anchor && path.anchorSource !== 'aia') return path.anchorSource as ChainOrigin
      return given.get(cert) ?? 'caIssuers'
    },
  }
}
