// The engine both shells call. Data flows one way:
// load → chain → rules + revocation (+ CT, ARI: the evidence) → policy → report.
// Revocation requests may start while files load (revocation/prefetch.ts), so
// responders work meanwhile; verdicts are still taken after the chain stage.
import { analyzeChains } from './chain/index.js'
import { ITEMS_PER_TURN, nextTurn } from './event-loop.js'
import { assembleReport } from './report/assemble.js'
import { checkEndpointOptions, judgeEndpoints, probeEndpoints } from './endpoints/index.js'
import { loadFiles, discoverFiles } from './load/index.js'
import { describeUnmatched } from './load/unmatched.js'
import type { LoadedFile } from './load/types.js'
import { applyRuleSettings, lintCertificate } from './rules/index.js'
import type { Cert } from './model/cert.js'
import type { Finding } from './model/types.js'
import type { CheckOptions } from './options.js'
import { UsageError } from './options.js'
import { inputsDigest } from './scope.js'
import type { Report } from './report/types.js'
import { certificateRules } from './rules/registry.js'
import { checkRevocations, revocationChecker } from './revocation/index.js'
import { mayPrefetch, revocationPrefetch } from './revocation/prefetch.js'
import { httpGet } from './net/http.js'
import type { IssuerFetcher } from './chain/types.js'
import { loadLogList } from './ct/log-list.js'
import { askRenewal, lintEvidence } from './evidence/index.js'

export interface Progress {
  stage: 'loading' | 'chains' | 'rules' | 'revocation'
  filesDone: number
  filesTotal: number
  certificates: number
  requestsInFlight: number
}

export interface CheckHooks {
  onProgress?: (progress: Progress) => void
}

export async function check(options: CheckOptions, hooks: CheckHooks = {}): Promise<Report> {
  const inputs = [...options.inputs, ...options.staples]
  const discovery = await discoverFiles(inputs, {
    cwd: options.cwd,
    exclude: options.exclude,
    confineTo: options.confineTo,
  })
  if (discovery.missing.length > 0) {
    throw new UsageError(
      await describeUnmatched(discovery.missing, {
        cwd: options.cwd,
        staples: options.staples,
        stapleOption: options.settingName('staple'),
      }),
    )
  }
  checkEndpointOptions(options.endpoints, options.resolve)
  const allEndpoints = options.endpoints
  let scope = options.scope
  if (scope) options = { ...options, endpoints: options.endpoints.filter((e) => scope!.includesEndpoint(e)) }
  if (discovery.files.length === 0 && options.endpoints.length === 0) {
    const skipped = discovery.skipped.map((s) => `${s.path} (${s.reason})`)
    throw new UsageError(
      `nothing to check: ${inputs.length ? `no certificate files under ${inputs.join(', ')}` : 'give paths, --endpoint or --staple'}` +
        (skipped.length ? `; left out: ${skipped.join(', ')}` : ''),
    )
  }

  const progress: Progress = {
    stage: 'loading',
    filesDone: 0,
    filesTotal: discovery.files.length,
    certificates: 0,
    requestsInFlight: 0,
  }
  const tell = (patch: Partial<Progress>) => hooks.onProgress?.(Object.assign(progress, patch))
  // Read before the scan: their issuers let revocation requests start while the files load.
  const [trusted, issuers, responderCerts, ctLogs] = await Promise.all([
    loadUserCertificates(options.trustFiles, options.settingName('trust'), options.cwd),
    loadUserCertificates(options.issuerFiles, options.settingName('issuer'), options.cwd),
    loadUserCertificates(options.responderCertFiles, options.settingName('responder-cert'), options.cwd),
    options.ctLogList
      ? loadLogList(options.ctLogList, options.cwd, options.settingName('ct-log-list'))
      : undefined,
  ])
  const checker = revocationChecker(options, responderCerts)
  const prefetch = mayPrefetch(options) ? revocationPrefetch(checker, [...issuers, ...trusted]) : undefined
  const [loaded, endpoints] = await Promise.all([
    loadFiles(discovery.files, options.cwd, (f) => {
      tell({ filesDone: progress.filesDone + 1, certificates: progress.certificates + f.certs.length })
      prefetch?.add(f.certs)
    }),
    probeEndpoints(options),
  ])
  const notes: string[] = []
  const widened = scope?.widen?.(loaded)
  if (widened) {
    notes.push(widened.reason)
    scope = widened.scope
    options = { ...options, scope }
  }
  // A served chain is linted and checked like a file named host:port. Files
  // outside the scope still complete chains; only those inside are checked.
  const served = endpoints.flatMap((e) => (e.file ? [e.file] : []))
  const files = [...loaded, ...served]
  const checked = scope ? [...loaded.filter((f) => scope!.includes(f)), ...served] : files

  tell({ stage: 'chains' })
  const chains = await analyzeChains(files, {
    options,
    trusted,
    issuers,
    fetchIssuer: issuerFetcher(options),
  })

  tell({ stage: 'rules' })
  const findingsByCert = new Map<Cert, Finding[]>()
  let linted = 0
  for (const file of checked) {
    const served = chains.served.get(file)!
    const servedPath = chains.servedPaths.get(file)
    for (const cert of file.certs) {
      if (++linted % ITEMS_PER_TURN === 0) await nextTurn()
      const facts = chains.of(cert)
      const findings = lintCertificate(certificateRules, {
        cert,
        role: facts.role,
        fileCerts: file.certs,
        served,
        servedPath,
        path: facts.path,
        issuer: facts.issuer,
        profile: options.profile,
        now: options.now,
        expiryWarningMs: options.expiryWarningMs,
        expiryErrorMs: options.expiryErrorMs,
      })
      findingsByCert.set(
        cert,
        applyRuleSettings(findings, options.rules, { file: file.file, sha256: cert.sha256 }),
      )
    }
  }

  tell({ stage: 'revocation' })
  const userCerts = [...trusted, ...issuers]
  const [revocation, endpointReports, renewal] = await Promise.all([
    checkRevocations(checked, chains, {
      options,
      checker,
      userCerts,
      onInFlight: (requestsInFlight) => tell({ requestsInFlight }),
    }),
    judgeEndpoints(endpoints, chains, { options, responderCerts, userCerts }),
    askRenewal(checked, chains, options),
  ])

  lintEvidence(checked, { options, chains, revocation, ctLogs, renewal, findingsByCert })

  return assembleReport({
    options,
    ...(scope
      ? {
          scope: {
            label: scope.label,
            inputs: inputsDigest(
              loaded.map((f) => f.file),
              allEndpoints,
            ),
          },
        }
      : {}),
    files: checked,
    chains,
    findingsByCert,
    revocation,
    endpoints: endpointReports,
    skipped: discovery.skipped,
    notes,
  })
}

/**
 * Missing intermediates come from the certificate's caIssuers URLs (RFC 5280
 * §4.2.2.1) when the run may use the network. Those URLs come from untrusted
 * certificates, so the address policy applies.
 */
function issuerFetcher(options: CheckOptions): IssuerFetcher | undefined {
  if (options.revocation === 'off') return undefined
  return async (url) => {
    try {
      const response = await httpGet(url, {
        timeoutMs: options.timeoutMs,
        retries: options.retries,
        maxBytes: MAX_ISSUER_BYTES,
        policy: 'untrusted',
        allowPrivateNetwork: options.allowPrivateNetwork,
      })
      return response.body
    } catch {
      return null
    }
  }
}

/** A CA certificate or a PKCS#7 bundle of a few: anything larger is not what caIssuers points at. */
const MAX_ISSUER_BYTES = 1024 * 1024

/**
 * Certificates the user names in options (--trust, --issuer,
 * --responder-cert). A file there that cannot be read or holds no
 * certificate is a usage error: the user meant something by it.
 */
async function loadUserCertificates(paths: string[], option: string, cwd: string): Promise<Cert[]> {
  if (paths.length === 0) return []
  const { files, missing } = await discoverFiles(paths, { cwd })
  if (missing.length) throw new UsageError(`${option}: no such file: ${missing.join(', ')}`)
  const loaded: LoadedFile[] = await loadFiles(files, cwd)
  for (const f of loaded) {
    const error = f.findings.find((x) => x.rule === 'parse-error')
    if (f.certs.length === 0 || error) {
      throw new UsageError(`${option}: ${f.file}: ${error?.message ?? 'no certificate in the file'}`)
    }
  }
  return loaded.flatMap((f) => f.certs)
}
