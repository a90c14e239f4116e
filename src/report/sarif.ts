// SARIF 2.1.0 (OASIS, errata 01) for code scanning
// (github/codeql-action/upload-sarif): one reportingDescriptor per rule with
// its description, citation and default level in the run's profile, one
// result per finding and per failing revocation status, located on the
// certificate's file and PEM line relative to the checkout (%SRCROOT%).
// A live endpoint is no file: its results carry a logical location.
import { createHash } from 'node:crypto'
import type { Finding, Profile, Revocation } from '../model/types.js'
import { allRuleInfos } from '../rules/registry.js'
import type { RuleInfo } from '../rules/rule.js'
import type { Report } from './types.js'
import { injectFault, internalErrorFinding } from '../contain.js'

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const
const VERSION = '0.1.0'
const INFORMATION_URI = 'https://github.com/certgate/certgate'

/** Failing revocation statuses are results of this pseudo-rule. */
const REVOCATION_RULE: RuleInfo = {
  id: 'revocation-status',
  description:
    'The certificate is revoked, unknown to its CA, or its revocation status could not be established.',
  citation: 'RFC 6960 §2.2 (OCSP), RFC 5280 §5 (CRL)',
  severity: { 'public-tls': 'error', 'private-tls': 'error', 'client-tls': 'error', rfc5280: 'error' },
}
const HELP: Record<string, string> = {
  [REVOCATION_RULE.id]:
    'Replace a revoked certificate. For unknown, ask the CA; for stale, invalid or unreachable, check the responder or CRL distribution point.',
}

type Location =
  | {
      physicalLocation: {
        artifactLocation: { uri: string; uriBaseId: string }
        region: { startLine: number }
      }
    }
  | { logicalLocations: { name: string; kind: string }[] }

interface SarifResult {
  ruleId: string
  ruleIndex: number
  level: string
  message: { text: string }
  locations: Location[]
  partialFingerprints: Record<string, string>
  suppressions?: { kind: 'external'; justification: string }[]
}

/** A display path as a relative URI reference: each segment percent-encoded. */
const relativeUri = (path: string): string => path.split('/').map(encodeURIComponent).join('/')

export function renderSarif(report: Report): object {
  const rules = [...allRuleInfos, REVOCATION_RULE]
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]))
  const endpointLabels = new Set(report.endpoints.map((e) => `${e.host}:${e.port}`))
  const locate = (file: string, line: number): Location =>
    endpointLabels.has(file)
      ? { logicalLocations: [{ name: file, kind: 'endpoint' }] }
      : {
          physicalLocation: {
            artifactLocation: { uri: relativeUri(file), uriBaseId: '%SRCROOT%' },
            region: { startLine: Math.max(1, line) },
          },
        }
  // Stable across line moves and reformatting: what is wrong with which certificate.
  const fingerprint = (...parts: string[]) => ({
    'certgate/v1': createHash('sha256').update(parts.join('\0')).digest('hex'),
  })

  const results: SarifResult[] = []
  const push = (f: Finding, file: string, line: number, subject: string) =>
    results.push({
      ruleId: f.rule,
      ruleIndex: ruleIndex.get(f.rule) ?? -1,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [locate(file, f.line ?? line)],
      partialFingerprints: fingerprint(f.rule, subject, f.message),
      ...(f.ignored ? { suppressions: [{ kind: 'external' as const, justification: f.ignored }] } : {}),
    })
  const pushRevocation = (
    r: Revocation | undefined,
    what: string,
    file: string,
    line: number,
    id: string,
  ) => {
    if (!r || ['good', 'exempt', 'skipped'].includes(r.status)) return
    results.push({
      ruleId: REVOCATION_RULE.id,
      ruleIndex: ruleIndex.get(REVOCATION_RULE.id)!,
      level: 'error',
      message: { text: `${what}: revocation ${r.status}${r.detail ? ` (${r.detail})` : ''}` },
      locations: [locate(file, line)],
      partialFingerprints: fingerprint(REVOCATION_RULE.id, id, r.status),
    })
  }
  for (const file of report.files) {
    for (const f of file.findings) push(f, file.file, 1, file.file)
    pushRevocation(file.revocation, 'stored OCSP response', file.file, 1, file.file)
  }
  for (const cert of report.certificates) {
    const before = results.length
    try {
      injectFault('report', `sarif ${cert.sha256} ${cert.file}`)
      for (const f of cert.findings) push(f, cert.file, cert.line, cert.sha256)
      pushRevocation(cert.revocation, cert.subject, cert.file, cert.line, cert.sha256)
    } catch (error) {
      // Half a certificate's results would read as all of them: it gets one result saying it is missing.
      results.length = before
      const doing = 'writing this certificate in the SARIF report'
      push(internalErrorFinding(doing, error), cert.file, cert.line, cert.sha256)
    }
  }
  for (const ep of report.endpoints) {
    const label = `${ep.host}:${ep.port}`
    for (const f of ep.findings) push(f, label, 1, label)
    pushRevocation(ep.revocation, `stapled response of ${label}`, label, 1, label)
  }

  return {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'certgate',
            version: VERSION,
            semanticVersion: VERSION,
            informationUri: INFORMATION_URI,
            rules: rules.map((r) => descriptor(r, report.profile as Profile)),
          },
        },
        invocations: [{ executionSuccessful: true, endTimeUtc: report.now }],
        results,
      },
    ],
  }
}

function descriptor(rule: RuleInfo, profile: Profile): object {
  const severity = rule.severity[profile]
  const since = rule.effective ? ` (for certificates issued from ${rule.effective})` : ''
  const help = HELP[rule.id] ?? rule.description
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, _dash: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: rule.description },
    fullDescription: { text: `${rule.description} Requirement: ${rule.citation}${since}.` },
    help: {
      text: `${help}\nRequirement: ${rule.citation}${since}.`,
      markdown: `${help}\n\n**Requirement:** ${rule.citation}${since}.`,
    },
    helpUri: `${INFORMATION_URI}#rules`,
    defaultConfiguration: { level: severity ? LEVEL[severity] : 'none', enabled: Boolean(severity) },
    properties: { tags: ['certificates', 'pki'], precision: 'very-high' },
  }
}
