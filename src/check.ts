// The engine both shells call. Data flows one way:
// load → chain → rules + revocation (+ CT, ARI: the evidence) → policy → report.
// Revocation requests may start while files load (revocation/prefetch.ts), so
// responders work meanwhile; verdicts are still taken after the chain stage.
import { existsSync, realpathSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { analyzeChains } from './chain/index.js'
import { ITEMS_PER_TURN, nextTurn } from './event-loop.js'
import { assembleReport } from './report/assemble.js'
import { checkEndpointOptions, judgeEndpoints, probeEndpoints } from './endpoints/index.js'
import { loadFiles, discoverFiles } from './load/index.js'
import { describeUnmatched } from './load/unmatched.js'
import type { LoadedFile } from './load/types.js'
import { applyRuleSettings, lintCertificate, matchPath } from './rules/index.js'
import type { Cert } from './model/cert.js'
import type { Finding } from './model/types.js'
import type { CheckOptions } from './options.js'
import { UsageError } from './options.js'
import { inputsDigest } from './scope.js'
import type { Report } from './report/types.js'
import { certificateRules, serverBlockRules } from './rules/registry.js'
import { checkRevocations, revocationChecker } from './revocation/index.js'
import { mayPrefetch, revocationPrefetch } from './revocation/prefetch.js'
import { httpGet } from './net/http.js'
import { concurrencyLimit } from './net/concurrency.js'
import { startDeadline } from './net/deadline.js'
import type { IssuerFetcher } from './chain/types.js'
import { loadLogList } from './ct/log-list.js'
import { askRenewal, lintEvidence } from './evidence/index.js'
import { armFaults, Incidents, internalErrorFinding } from './contain.js'
import { loadPrivateKeys, matchKeys } from './keys/index.js'
import { loadServedFiles } from './endpoints/drift.js'
import { certificateFiles, readServerConfig, stapleFiles } from './server-config/index.js'
import { checkNamedFiles, lintServerConfig } from './server-config/lint.js'

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

/**
 * Runs the whole check. The run's deadline (--deadline) starts now and bounds
 * its network work; the report is complete whenever that work ends.
 */
export async function check(options: CheckOptions, hooks: CheckHooks = {}): Promise<Report> {
  const deadline = startDeadline(options.deadline.ms, options.deadline.label)
  try {
    return await checkWithin({ ...options, runDeadline: deadline }, hooks)
  } finally {
    deadline.dispose()
  }
}

async function checkWithin(options: CheckOptions, hooks: CheckHooks): Promise<Report> {
  armFaults()
  // Every file a server configuration names is checked as if given on the command line.
  if (
    options.serverRoot &&
    !statSync(resolve(options.cwd, options.serverRoot), { throwIfNoEntry: false })?.isDirectory()
  )
    throw new UsageError(`${options.settingName('server-root')}: no such directory: ${options.serverRoot}`)
  const serverConfigs = options.serverConfigs.map((path) => {
    if (!existsSync(resolve(options.cwd, path)))
      throw new UsageError(`${options.settingName('server-config')}: no such file: ${path}`)
    const config = readServerConfig(path, {
      cwd: options.cwd,
      root: options.serverRoot,
      ...(options.confineTo ? { confineTo: options.confineTo } : {}),
      advise: options.advise,
    })
    checkNamedFiles(config)
    return config
  })
  const inputs = [
    ...options.inputs,
    ...serverConfigs.flatMap(certificateFiles),
    ...options.staples,
    ...serverConfigs.flatMap(stapleFiles),
  ]
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
  checkEndpointOptions(options)
  const allEndpoints = options.endpoints
  let scope = options.scope
  if (scope) options = { ...options, endpoints: options.endpoints.filter((e) => scope!.includesEndpoint(e)) }
  if (discovery.files.length === 0 && options.endpoints.length === 0 && serverConfigs.length === 0) {
    const skipped = discovery.skipped.map((s) => `${s.path} (${s.reason})`)
    throw new UsageError(
      `nothing to check: ${inputs.length ? `no certificate files under ${inputs.join(', ')}` : `give paths, ${options.advise('endpoint')} or ${options.advise('staple')}`}` +
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
  const [trusted, issuers, responderCerts, ctLogs, keyFiles, servedFiles] = await Promise.all([
    loadUserCertificates(options.trustFiles, options.settingName('trust'), options.cwd),
    loadUserCertificates(options.issuerFiles, options.settingName('issuer'), options.cwd),
    loadUserCertificates(options.responderCertFiles, options.settingName('responder-cert'), options.cwd),
    options.ctLogList
      ? loadLogList(options.ctLogList, options.cwd, options.settingName('ct-log-list'))
      : undefined,
    loadPrivateKeys(options.keys, {
      cwd: options.cwd,
      ...(options.confineTo ? { confineTo: options.confineTo } : {}),
      option: options.settingName('key'),
    }),
    loadServedFiles(options),
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

  // The prefetch's signature checks are still running in the thread pool; the chain stage would
  // check the same signatures again on this thread rather than wait for the answers.
  await prefetch?.settled()
  // Failures on one item are kept here and reported on it; the run goes on (contain.ts).
  const incidents = new Incidents()
  tell({ stage: 'chains' })
  const chains = await analyzeChains(files, {
    options,
    trusted,
    issuers,
    fetchIssuer: issuerFetcher(options),
    incidents,
  })

  tell({ stage: 'rules' })
  const findingsByCert = new Map<Cert, Finding[]>()
  let linted = 0
  for (const file of checked) {
    const served = chains.served.get(file)!
    const servedPath = chains.servedPaths.get(file)
    const expectedNames = options.expectNames
      .filter((e) => e.path === undefined || matchPath(e.path, file.file))
      .flatMap((e) => e.names)
    for (const cert of file.certs) {
      if (++linted % ITEMS_PER_TURN === 0) await nextTurn()
      const findings = incidents.guard(
        cert.sha256,
        'linting this certificate',
        () => {
          const facts = chains.of(cert)
          return lintCertificate(certificateRules, {
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
            expectedNames,
          })
        },
        () => [],
      )
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
      incidents,
      onInFlight: (requestsInFlight) => tell({ requestsInFlight }),
    }),
    judgeEndpoints(endpoints, chains, {
      options,
      responderCerts,
      userCerts,
      incidents,
      servedFiles,
      findingsByCert,
    }),
    askRenewal(checked, chains, options),
  ])

  lintEvidence(checked, { options, chains, revocation, ctLogs, renewal, findingsByCert, incidents })

  // Keys match against every leaf loaded or served, in scope or not: a key
  // is deployed with whichever certificate it belongs to. Most runs name no key.
  let keyReports = checked
  if (keyFiles.length) {
    const loadedCerts = files.flatMap((f) => f.certs)
    const isLeaf = (c: Cert): boolean => chains.of(c).role === 'leaf'
    keyReports = withKeyFindings(
      checked,
      matchKeys(keyFiles, loadedCerts.filter(isLeaf), options.profile, [
        ...loadedCerts.filter((c) => !isLeaf(c)),
        ...userCerts,
      ]),
    )
  }
  const serverConfigFindings = (
    await Promise.all(
      serverConfigs.map((config) =>
        incidents.guardAsync(
          config.file,
          'linting this server configuration',
          () =>
            lintServerConfig(config, serverBlockRules, loaded, chains, {
              profile: options.profile,
              ...(options.confineTo ? { confineTo: options.confineTo } : {}),
            }),
          (error) => [
            {
              file: config.file,
              findings: [internalErrorFinding('linting this server configuration', error)],
            },
          ],
        ),
      ),
    )
  )
    .flat()
    // A scoped run (a shard, a pull request's files) reports the configuration files in its scope only.
    .filter(
      ({ file }) => !scope || scope.includes({ file, realPath: realPathOf(resolve(options.cwd, file)) }),
    )

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
    files: keyReports,
    chains,
    findingsByCert,
    revocation,
    endpoints: endpointReports,
    skipped: discovery.skipped,
    notes,
    incidents,
    serverConfigs: serverConfigFindings,
  })
}

/**
 * The report's files with the key files added. A key file that is also a
 * scanned file (a combined certificate-and-key PEM) stays one entry, as
 * every input file appears once: its key findings join the file's own.
 */
function withKeyFindings(files: readonly LoadedFile[], keyFiles: readonly LoadedFile[]): LoadedFile[] {
  const byPath = new Map(keyFiles.map((k) => [k.absolutePath, k]))
  for (const f of files) {
    const keys = byPath.get(f.absolutePath)
    if (!keys) continue
    byPath.delete(f.absolutePath)
    // In place: the revocation verdicts are keyed by the file object.
    f.findings.push(...keys.findings)
  }
  return [...files, ...byPath.values()]
}

/**
 * Missing intermediates come from the certificate's caIssuers URLs (RFC 5280
 * §4.2.2.1) when the run may use the network. Those URLs come from untrusted
 * certificates, so the address policy applies; at most --concurrency are in
 * flight, and none starts after the run's deadline.
 */
function issuerFetcher(options: CheckOptions): IssuerFetcher | undefined {
  if (options.revocation === 'off') return undefined
  const limit = concurrencyLimit(options.concurrency)
  return (url) =>
    limit(async () => {
      try {
        const response = await httpGet(url, {
          timeoutMs: options.timeoutMs,
          retries: options.retries,
          maxBytes: MAX_ISSUER_BYTES,
          policy: 'untrusted',
          allowPrivateNetwork: options.allowPrivateNetwork,
          advise: options.advise,
          signal: options.runDeadline?.signal,
        })
        return response.body
      } catch {
        return null
      }
    })
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

function realPathOf(path: string): string | undefined {
  try {
    return realpathSync(path)
  } catch {
    return undefined
  }
}
