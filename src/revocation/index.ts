// The revocation stage of check(): one verdict per certificate (asked once
// per distinct certificate, however many files repeat it) and one per stored
// OCSP response. A stored response that names a loaded certificate also
// counts for that certificate (source `staple`), as the contract says.
import { createHash } from 'node:crypto'
import type { ChainAnalysis } from '../chain/index.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Finding, Revocation, RevocationStatus } from '../model/types.js'
import type { CheckOptions } from '../options.js'
import { createRevocationChecker, type RevocationChecker } from './checker.js'
import { indexCandidates, staleStapleFindings, type StoredResponseVerdict } from './staple-file.js'
import { Incidents, injectFault, internalErrorMessage } from '../contain.js'
import type { RevocationOptions } from './types.js'
import type { OcspEvidence, RevocationEvidence } from '../model/evidence.js'

/** A stored OCSP response file's own verdict, and the findings it makes on the file (staple-stale). */
export interface FileVerdict {
  revocation?: Revocation
  serial?: string
  findings?: Finding[]
}

export interface RevocationVerdicts {
  of(cert: Cert): Revocation
  /** The CRLs and OCSP responses the verdict of `cert` rested on. */
  evidenceOf(cert: Cert): RevocationEvidence
  ofFile(file: LoadedFile): FileVerdict
}

/** From what must be fixed first to what needs nothing: the verdict a certificate shows when it has two. */
const SEVERITY_ORDER: readonly RevocationStatus[] = [
  'revoked',
  'invalid',
  'unknown',
  'stale',
  'unreachable',
  'good',
  'exempt',
  'skipped',
]
const worse = (a: Revocation, b: Revocation): Revocation =>
  SEVERITY_ORDER.indexOf(b.status) < SEVERITY_ORDER.indexOf(a.status) ? b : a

export function revocationOptions(options: CheckOptions, responderCerts: Cert[]): RevocationOptions {
  return {
    mode: options.revocation,
    now: options.now,
    clockSkewMs: options.clockSkewMs,
    nextUpdateMarginMs: options.nextUpdateMarginMs,
    maxAgeMs: options.maxAgeMs,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    concurrency: options.concurrency,
    ocspMethod: options.ocspMethod,
    nonce: options.nonce,
    hash: options.hash,
    allowPrivateNetwork: options.allowPrivateNetwork,
    responderCerts,
    crlMaxBytes: options.crlMaxBytes,
    crlBudgetBytes: options.crlBudgetBytes,
    deadline: options.runDeadline,
    cacheDir: options.cacheDir,
    saveEvidenceDir: options.saveEvidenceDir,
    advise: options.advise,
  }
}

/** The checker of one run, shared by the requests started early (prefetch.ts) and the revocation stage. */
export function revocationChecker(options: CheckOptions, responderCerts: Cert[]): RevocationChecker {
  return createRevocationChecker(revocationOptions(options, responderCerts))
}

export async function checkRevocations(
  files: readonly LoadedFile[],
  chains: ChainAnalysis,
  input: {
    options: CheckOptions
    /** The run's checker (revocationChecker below), which prefetch.ts may have started asking. */
    checker: RevocationChecker
    /** --trust and --issuer certificates: issuers a stored response may be judged against. */
    userCerts: Cert[]
    /** Where a failure checking one certificate or stored response is kept; the others go on. */
    incidents?: Incidents
    onInFlight: (pending: number) => void
  },
): Promise<RevocationVerdicts> {
  const incidents = input.incidents ?? new Incidents()
  const { checker } = input
  const distinct = new Map<string, Cert>()
  for (const file of files)
    for (const cert of file.certs) if (!distinct.has(cert.sha256)) distinct.set(cert.sha256, cert)

  let pending = distinct.size
  input.onInFlight(pending)
  const live = new Map<string, Revocation>()
  await Promise.all(
    [...distinct.values()].map(async (cert) => {
      const verdict = await incidents.guardAsync(
        cert.sha256,
        'checking its revocation',
        async () => (
          injectFault('revocation', `${cert.sha256} ${cert.source.file}`),
          checker.check(cert, chains.of(cert).issuer)
        ),
        (error): Revocation => ({
          source: 'none',
          status: 'invalid',
          detail: internalErrorMessage('checking its revocation', error),
        }),
      )
      live.set(cert.sha256, verdict)
      input.onInFlight(--pending)
    }),
  )

  await checker.finish()

  // Stored responses (*.ocsp, *.der-staple, --staple, PEM "OCSP RESPONSE" blocks).
  const candidates = indexCandidates(
    [...distinct.values()].map((cert) => ({ cert, issuer: chains.of(cert).issuer })),
  )
  const knownIssuers = [...input.userCerts, ...[...distinct.values()].filter((c) => c.basicConstraints?.ca)]
  const staples = new Map<string, Revocation>()
  const stapleEvidence = new Map<string, OcspEvidence[]>()
  const fileVerdicts = new Map<LoadedFile, FileVerdict>()
  // The same staple in many files (or many times in one) is judged once.
  const judged = new Map<string, Promise<StoredResponseVerdict>>()
  const judge = (der: Uint8Array): Promise<StoredResponseVerdict> => {
    const key = createHash('sha256').update(der).digest('hex')
    let verdict = judged.get(key)
    if (!verdict) {
      verdict = checker.judgeStoredResponse(der, candidates, knownIssuers)
      judged.set(key, verdict)
    }
    return verdict
  }
  for (const file of files) {
    for (const blob of file.ocspResponses) {
      const doing = `judging the stored OCSP response at line ${blob.line}`
      const verdict = await incidents.guardAsync(
        file,
        doing,
        async () => (injectFault('staple', file.file), judge(blob.der)),
        (error): StoredResponseVerdict => ({
          revocation: { source: 'staple', status: 'invalid', detail: internalErrorMessage(doing, error) },
        }),
      )
      const revocation: Revocation = { ...verdict.revocation, source: 'staple' }
      const previous = fileVerdicts.get(file)?.revocation
      fileVerdicts.set(file, {
        revocation: previous ? worse(previous, revocation) : revocation,
        serial: verdict.serial,
      })
      if (verdict.matched) {
        const prior = staples.get(verdict.matched.sha256)
        staples.set(verdict.matched.sha256, prior ? worse(prior, revocation) : revocation)
        if (revocation.thisUpdate && revocation.status !== 'invalid') {
          const used = stapleEvidence.get(verdict.matched.sha256) ?? []
          used.push({
            thisUpdate: new Date(revocation.thisUpdate),
            nextUpdate: revocation.nextUpdate ? new Date(revocation.nextUpdate) : undefined,
          })
          stapleEvidence.set(verdict.matched.sha256, used)
        }
      }
    }
  }

  for (const verdict of fileVerdicts.values())
    verdict.findings = staleStapleFindings(verdict.revocation, input.options.profile, 'stored')

  return {
    of(cert) {
      const fetched = live.get(cert.sha256)!
      const stapled = staples.get(cert.sha256)
      if (!stapled) return fetched
      // A good staple must not hide a revocation the responder reports today, nor the reverse.
      return fetched.status === 'skipped' ? stapled : worse(stapled, fetched)
    },
    evidenceOf(cert) {
      const fetched = checker.evidenceOf(cert, chains.of(cert).issuer)
      return { ...fetched, ocsp: [...fetched.ocsp, ...(stapleEvidence.get(cert.sha256) ?? [])] }
    },
    ofFile: (file) => fileVerdicts.get(file) ?? {},
  }
}
