// The last stage of check(): findings and verdicts become the report of the
// contract, and the policy decides pass or fail. Every input file appears
// exactly once in `files` (the config file joins them only to carry
// ignore-unused), every certificate occurrence once in `certificates`.
import { relative, sep } from 'node:path'
import { roleOf, type ChainAnalysis } from '../chain/index.js'
import { applyRuleSettings, ignoreOf } from '../rules/index.js'
import { unusedIgnoreFindings } from '../rules/ignore-unused.js'
import type { LoadedFile } from '../load/types.js'
import type { Cert } from '../model/cert.js'
import type { Finding, Revocation } from '../model/types.js'
import type { CheckOptions } from '../options.js'
import { failureReasons, formatReasons, isSoftFailed } from '../policy.js'
import type { PathResult } from '../chain/types.js'
import type {
  CertificateReport,
  EndpointReport,
  FileReport,
  Report,
  ReportScope,
  SkippedPath,
} from './types.js'
import type { RevocationVerdicts } from '../revocation/index.js'
import { injectFault, internalErrorFinding, internalErrorMessage, type Incidents } from '../contain.js'
import { appendAll } from '../model/append.js'

export interface AssembleInput {
  options: CheckOptions
  /** The part of the run this report covers, when it is not the whole. */
  scope?: ReportScope
  files: readonly LoadedFile[]
  chains: ChainAnalysis
  findingsByCert: ReadonlyMap<Cert, Finding[]>
  revocation: RevocationVerdicts
  endpoints?: EndpointReport[]
  skipped?: SkippedPath[]
  notes?: string[]
  /** --server-config files (and what they include) with the findings on their directives. */
  serverConfigs?: readonly { file: string; findings: Finding[] }[]
  /** Internal errors of the run, on the files and certificates they happened on. */
  incidents?: Incidents
}

/** What the report says a certificate is and where it was found: read from the model, never failing. */
function identityOf(file: LoadedFile, cert: Cert) {
  return {
    file: file.file,
    line: cert.source.line,
    index: cert.source.index,
    subject: cert.subject,
    issuer: cert.issuer,
    serial: cert.serial,
    sha256: cert.sha256,
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  }
}

/** The path above a certificate, as the report shows it. */
function chainOf(
  result: PathResult,
  chains: ChainAnalysis,
): Pick<CertificateReport, 'chain' | 'chainStatus'> {
  const reached = result.anchorSource !== undefined
  const above = result.path.slice(1)
  return {
    chainStatus: result.status,
    chain: above.map((c, i) => {
      const origin = chains.originOf(c, result)
      return {
        sha256: c.sha256,
        subject: c.subject,
        origin,
        // A fetched issuer's source is the caIssuers URL it came from (RFC 5280 §4.2.2.1).
        ...(origin === 'caIssuers' ? { url: c.source.file } : {}),
        file: c.source.file,
        line: c.source.line,
        ...(reached && i === above.length - 1 ? { anchor: true } : {}),
      }
    }),
  }
}

/**
 * The config file as a report entry when the run has something to say about
 * it: ignores that matched no finding. A scoped run (a shard, a pull
 * request's files) does not judge them: the files they match may lie outside it.
 */
function configFileReport(
  options: CheckOptions,
  findings: readonly Finding[],
): Omit<FileReport, 'failed'> | undefined {
  if (!options.configFile || options.scope || options.rules.ignore.length === 0) return undefined
  const used = new Set(findings.flatMap((f) => ignoreOf(f) ?? []))
  const unused = unusedIgnoreFindings(options.rules.ignore, used, options.profile)
  if (unused.length === 0) return undefined
  const file = relative(options.cwd, options.configFile).split(sep).join('/')
  return {
    file,
    kind: 'config',
    findings: applyRuleSettings(unused, options.rules, { file }),
    certificates: 0,
  }
}

export function assembleReport(input: AssembleInput): Report {
  const { options } = input
  const policy = { failOn: options.failOn, softFail: options.softFail }
  const reasons = new Map<string, number>()
  const countReasons = (list: string[]) => list.forEach((r) => reasons.set(r, (reasons.get(r) ?? 0) + 1))
  const allFindings: Finding[] = []
  const revocations: Revocation[] = []

  const incidentsOf = (item: object | string) => input.incidents?.of(item) ?? []
  const withIncidents = (findings: Finding[], cert: Cert): Finding[] => {
    const incidents = incidentsOf(cert.sha256)
    if (incidents.length === 0) return findings
    return [
      ...findings,
      ...applyRuleSettings(incidents, options.rules, { file: cert.source.file, sha256: cert.sha256 }),
    ]
  }
  /** One certificate's entry and the reasons it fails the gate. */
  const certificateEntry = (
    file: LoadedFile,
    cert: Cert,
  ): { entry: CertificateReport; reasons: string[] } => {
    injectFault('report', `${cert.sha256} ${file.file}`)
    const facts = input.chains.of(cert)
    const findings = withIncidents(input.findingsByCert.get(cert) ?? [], cert)
    const revocation = input.revocation.of(cert)
    const reasons = failureReasons(policy, findings, revocation)
    return {
      reasons,
      entry: {
        ...identityOf(file, cert),
        role: facts.role,
        revocation,
        findings,
        ...(facts.path ? chainOf(facts.path, input.chains) : {}),
        failed: reasons.length > 0,
      },
    }
  }
  // A failure writing one certificate's entry leaves that entry saying so, and fails the gate on it.
  const guardedEntry = (file: LoadedFile, cert: Cert): { entry: CertificateReport; reasons: string[] } => {
    try {
      return certificateEntry(file, cert)
    } catch (error) {
      const doing = 'writing its report entry'
      const findings = [internalErrorFinding(doing, error)]
      const revocation: Revocation = {
        source: 'none',
        status: 'invalid',
        detail: internalErrorMessage(doing, error),
      }
      const reasons = failureReasons(policy, findings, revocation)
      return {
        reasons,
        entry: { ...identityOf(file, cert), role: roleOf(cert), revocation, findings, failed: true },
      }
    }
  }
  const certificates: CertificateReport[] = []
  const files: FileReport[] = input.files.map((file) => {
    const stored = input.revocation.ofFile(file)
    const fileFindings = applyRuleSettings(
      [...file.findings, ...(stored.findings ?? []), ...incidentsOf(file)],
      options.rules,
      { file: file.file },
    )
    const fileReasons = failureReasons(policy, fileFindings, stored.revocation)
    countReasons(fileReasons)
    appendAll(allFindings, fileFindings)
    if (stored.revocation) revocations.push(stored.revocation)

    for (const cert of file.certs) {
      const { entry, reasons: certReasons } = guardedEntry(file, cert)
      countReasons(certReasons)
      appendAll(allFindings, entry.findings)
      revocations.push(entry.revocation)
      certificates.push(entry)
    }
    return {
      file: file.file,
      kind: file.kind,
      findings: fileFindings,
      ...(stored.revocation ? { revocation: stored.revocation } : {}),
      ...(stored.serial ? { serial: stored.serial } : {}),
      certificates: file.certs.length,
      failed: fileReasons.length > 0,
    }
  })

  const endpoints = input.endpoints ?? []
  for (const ep of endpoints) {
    countReasons(failureReasons(policy, ep.findings, ep.revocation))
    appendAll(allFindings, ep.findings)
    if (ep.revocation) revocations.push(ep.revocation)
  }

  for (const server of input.serverConfigs ?? []) {
    const findings = applyRuleSettings(server.findings, options.rules, { file: server.file })
    const serverReasons = failureReasons(policy, findings)
    countReasons(serverReasons)
    allFindings.push(...findings)
    files.push({
      file: server.file,
      kind: 'server-config',
      findings,
      certificates: 0,
      failed: serverReasons.length > 0,
    })
  }

  const config = configFileReport(options, allFindings)
  if (config) {
    const configReasons = failureReasons(policy, config.findings)
    countReasons(configReasons)
    appendAll(allFindings, config.findings)
    files.push({ ...config, failed: configReasons.length > 0 })
  }

  const counted = allFindings.filter((f) => !f.ignored)
  const failed =
    certificates.filter((c) => c.failed).length +
    files.filter((f) => f.failed).length +
    endpoints.filter((e) => e.failed).length
  return {
    version: 1,
    result: failed > 0 ? 'fail' : 'pass',
    now: options.now.toISOString(),
    profile: options.profile,
    ...(input.scope ? { scope: input.scope } : {}),
    summary: {
      files: files.filter((f) => f.kind !== 'config').length,
      certificates: certificates.length,
      endpoints: endpoints.length,
      errors: counted.filter((f) => f.severity === 'error').length,
      warnings:
        counted.filter((f) => f.severity === 'warning').length +
        revocations.filter((r) => isSoftFailed(policy, r)).length,
      ignored: allFindings.length - counted.length,
      revoked: revocations.filter((r) => r.status === 'revoked').length,
      failed,
      reasons: formatReasons(reasons),
    },
    certificates,
    files,
    endpoints,
    skipped: input.skipped ?? [],
    ...(input.notes?.length ? { notes: input.notes } : {}),
  }
}
