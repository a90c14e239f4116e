// The evidence stage of check(), after the network stages: what they
// gathered about each certificate — the CRLs and OCSP responses its
// revocation verdict rested on, its embedded SCTs judged against the CT
// logs (src/ct/), the CA's renewal information (src/ari/) — is judged by the
// evidence rules, and their findings join the certificate's own.
import { renewalInfoOf } from '../ari/index.js'
import type { ChainAnalysis } from '../chain/index.js'
import { assessCt } from '../ct/index.js'
import type { CtLogList } from '../ct/log-list.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { CtEvidence, RenewalEvidence } from '../model/evidence.js'
import type { Finding } from '../model/types.js'
import type { CheckOptions } from '../options.js'
import type { RevocationVerdicts } from '../revocation/index.js'
import { applyRuleSettings, lintCertificate } from '../rules/index.js'
import { evidenceRules } from '../rules/registry.js'
import { appendAll } from '../model/append.js'
import { Incidents, injectFault } from '../contain.js'

/** With --ari, the CA's renewal information for every checked leaf (RFC 9773), by SHA-256. */
export async function askRenewal(
  files: readonly LoadedFile[],
  chains: ChainAnalysis,
  options: CheckOptions,
): Promise<ReadonlyMap<string, RenewalEvidence>> {
  if (!options.ari) return new Map()
  const leaves = files.flatMap((f) => f.certs).filter((cert) => chains.of(cert).role === 'leaf')
  return renewalInfoOf(leaves, {
    baseUrl: options.ari.url,
    policy: options.ari.policy,
    now: options.now,
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    allowPrivateNetwork: options.allowPrivateNetwork,
    advise: options.advise,
    signal: options.runDeadline?.signal,
    concurrency: options.concurrency,
  })
}

/**
 * Runs the evidence rules on every certificate of `files` and adds their
 * findings to `findingsByCert`. A certificate listed in several files is
 * judged once; each occurrence gets the findings.
 */
export function lintEvidence(
  files: readonly LoadedFile[],
  input: {
    options: CheckOptions
    chains: ChainAnalysis
    revocation: RevocationVerdicts
    ctLogs?: CtLogList
    renewal: ReadonlyMap<string, RenewalEvidence>
    findingsByCert: Map<Cert, Finding[]>
    incidents?: Incidents
  },
): void {
  const incidents = input.incidents ?? new Incidents()
  const { options, chains } = input
  const ctOf = memoByFingerprint((cert: Cert) => ctEvidence(cert, chains, input.ctLogs, options))
  for (const file of files) {
    for (const cert of file.certs) {
      const findings = incidents.guard(
        cert.sha256,
        'judging the evidence gathered about this certificate',
        () => {
          injectFault('evidence', `${cert.sha256} ${file.file}`)
          const facts = chains.of(cert)
          return lintCertificate(evidenceRules, {
            cert,
            role: facts.role,
            profile: options.profile,
            now: options.now,
            path: facts.path,
            revocation: input.revocation.evidenceOf(cert),
            ...(facts.role === 'leaf' ? { ct: ctOf(cert), renewal: input.renewal.get(cert.sha256) } : {}),
          })
        },
        () => [],
      )
      const settled = applyRuleSettings(findings, options.rules, { file: file.file, sha256: cert.sha256 })
      appendAll(input.findingsByCert.get(cert) ?? [], settled)
    }
  }
}

/** A leaf's CT evidence; whatever goes wrong judging it is a finding on it, never the end of the run. */
function ctEvidence(
  cert: Cert,
  chains: ChainAnalysis,
  logs: CtLogList | undefined,
  options: CheckOptions,
): CtEvidence {
  const required = options.requireSct
  try {
    return assessCt(cert, chains.of(cert).issuer, {
      logs,
      required,
      now: options.now,
      clockSkewMs: options.clockSkewMs,
    })
  } catch (error) {
    return {
      scts: [],
      verified: logs !== undefined,
      required,
      malformed: `its SCTs could not be judged (${(error as Error).message})`,
    }
  }
}

/** `compute` once per distinct certificate, however many files list it. */
function memoByFingerprint<T>(compute: (cert: Cert) => T): (cert: Cert) => T {
  const known = new Map<string, T>()
  return (cert) => {
    if (!known.has(cert.sha256)) known.set(cert.sha256, compute(cert))
    return known.get(cert.sha256) as T
  }
}
