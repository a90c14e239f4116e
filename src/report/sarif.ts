// SARIF 2.1.0 for code scanning (github/codeql-action/upload-sarif): one
// reportingDescriptor per rule, one result per finding and per failing
// revocation status, located on the certificate's file and PEM line.
import type { Finding, Revocation } from '../model/types.js'
import { allRuleInfos } from '../rules/registry.js'
import type { Report } from './types.js'

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const
const REVOCATION_RULE = 'revocation-status'

interface SarifResult {
  ruleId: string
  level: string
  message: { text: string }
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[]
  suppressions?: { kind: 'external'; justification: string }[]
}

export function renderSarif(report: Report): object {
  const results: SarifResult[] = []
  const at = (uri: string, line: number) => [
    { physicalLocation: { artifactLocation: { uri }, region: { startLine: Math.max(1, line) } } },
  ]
  const push = (f: Finding, uri: string, line: number) =>
    results.push({
      ruleId: f.rule,
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: at(uri, f.line ?? line),
      ...(f.ignored ? { suppressions: [{ kind: 'external' as const, justification: f.ignored }] } : {}),
    })
  const pushRevocation = (r: Revocation | undefined, what: string, uri: string, line: number) => {
    if (!r || ['good', 'exempt', 'skipped'].includes(r.status)) return
    results.push({
      ruleId: REVOCATION_RULE,
      level: 'error',
      message: { text: `${what}: revocation ${r.status}${r.detail ? ` (${r.detail})` : ''}` },
      locations: at(uri, line),
    })
  }
  for (const file of report.files) {
    for (const f of file.findings) push(f, file.file, 1)
    pushRevocation(file.revocation, 'stored OCSP response', file.file, 1)
  }
  for (const cert of report.certificates) {
    for (const f of cert.findings) push(f, cert.file, cert.line)
    pushRevocation(cert.revocation, cert.subject, cert.file, cert.line)
  }
  const rules = [
    ...allRuleInfos.map((r) => ({
      id: r.id,
      shortDescription: { text: r.description },
      fullDescription: { text: `${r.description} (${r.citation})` },
      help: { text: `${r.description}\nRequirement: ${r.citation}` },
    })),
    {
      id: REVOCATION_RULE,
      shortDescription: {
        text: 'The certificate is revoked, unknown to its CA, or its revocation status could not be established',
      },
      fullDescription: { text: 'OCSP (RFC 6960) or CRL (RFC 5280 §5) status that fails the gate' },
      help: {
        text: 'Replace a revoked certificate; for stale, invalid or unreachable, check the responder or CRL.',
      },
    },
  ]
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'certgate', informationUri: 'https://github.com/certgate/certgate', rules } },
        results,
      },
    ],
  }
}
