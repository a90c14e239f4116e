// The report for people: grouped by file, one line per finding with
// file:line, a revocation line per certificate, and a final verdict line.
import type { Finding, Revocation } from '../model/types.js'
import { groupBy } from '../model/group-by.js'
import type { CertificateReport, Report } from './types.js'
import { appendAll } from '../model/append.js'
import { injectFault, internalErrorMessage } from '../contain.js'

export interface TextStyle {
  color: boolean
}

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1, cyan: 36 } as const
type Color = keyof typeof CODES

export function renderText(report: Report, style: TextStyle): string {
  const paint = (color: Color, s: string): string => (style.color ? `\x1b[${CODES[color]}m${s}\x1b[0m` : s)
  const severityColor = (f: Finding): Color =>
    f.ignored ? 'dim' : f.severity === 'error' ? 'red' : f.severity === 'warning' ? 'yellow' : 'cyan'
  // Info notes stay in the JSON and SARIF reports; on a terminal they would bury what needs doing.
  const shown = (f: Finding) => f.severity !== 'info'
  // An endpoint has no lines: its findings are placed by host:port alone.
  const findingLine = (file: string, line: number | undefined, f: Finding): string => {
    const label = f.ignored ? 'ignored' : f.severity
    const tail = f.ignored ? paint('dim', ` (ignored: ${f.ignored})`) : ''
    const at = (f.line ?? line) === undefined ? file : `${file}:${f.line ?? line}`
    return `  ${paint('dim', at)}  ${paint(severityColor(f), label.padEnd(7))} ${paint('bold', f.rule)}  ${f.message}${tail}`
  }

  // The same certificate in many files (one intermediate in every fullchain.pem)
  // is judged alike each time: its findings are listed where it first appears,
  // and each later place points there instead of repeating them.
  const firstSeen = new Map<string, { at: string; findings: Set<string> }>()
  const sameness = (f: Finding) => `${f.severity}|${f.rule}|${f.message}|${f.ignored ?? ''}`

  /** The lines of one certificate: its verdict, then its findings not already listed where it first appeared. */
  const certificateLines = (cert: CertificateReport, lines: string[]): void => {
    lines.push(
      `  ${paint('dim', `${cert.file}:${cert.line}`)}  #${cert.index} ${cert.role.padEnd(12)} ${cert.subject}` +
        `  ${revocationText(cert.revocation, report, paint)}`,
    )
    const findings = cert.findings.filter(shown)
    const first = firstSeen.get(cert.sha256)
    if (!first)
      firstSeen.set(cert.sha256, {
        at: `${cert.file}:${cert.line}`,
        findings: new Set(findings.map(sameness)),
      })
    const repeated = first ? findings.filter((f) => first.findings.has(sameness(f))).length : 0
    for (const f of findings.filter((f) => !first?.findings.has(sameness(f))))
      lines.push(findingLine(cert.file, cert.line, f))
    if (first && repeated > 0) {
      const n = `${repeated} finding${repeated === 1 ? '' : 's'}`
      lines.push(
        `  ${paint('dim', `${cert.file}:${cert.line}`)}  ${paint('dim', `${n} as listed at ${first.at}`)}`,
      )
    }
  }

  const out: string[] = []
  const byFile = groupBy(report.certificates, (c) => c.file)

  for (const file of report.files) {
    out.push(paint('bold', file.file) + paint('dim', `  (${describeKind(file.kind, file.certificates)})`))
    for (const f of file.findings.filter(shown)) out.push(findingLine(file.file, 1, f))
    if (file.revocation)
      out.push(`  ${paint('dim', `${file.file}:1`)}  ${revocationText(file.revocation, report, paint)}`)
    for (const cert of byFile.get(file.file) ?? []) {
      const lines: string[] = []
      try {
        injectFault('report', `text ${cert.sha256} ${cert.file}`)
        certificateLines(cert, lines)
      } catch (error) {
        // What was rendered of it stays out; the line says it is missing and why.
        lines.length = 0
        lines.push(
          `  ${paint('dim', `${cert.file}:${cert.line}`)}  #${cert.index} ${cert.subject}  ${paint('red', 'error')} ${paint('bold', 'internal-error')}  ${internalErrorMessage('writing this certificate in the text report', error)}`,
        )
      }
      appendAll(out, lines)
    }
    out.push('')
  }
  for (const ep of report.endpoints) {
    const at = ep.host.includes(':') ? `[${ep.host}]:${ep.port}` : `${ep.host}:${ep.port}`
    out.push(paint('bold', at) + paint('dim', `  (endpoint, staple ${ep.stapled ? 'present' : 'absent'})`))
    if (ep.revocation)
      out.push(`  ${paint('dim', at)}  staple ${revocationText(ep.revocation, report, paint)}`)
    for (const f of ep.findings.filter(shown)) out.push(findingLine(at, undefined, f))
    out.push('')
  }
  appendAll(out, leftOut(report, paint))
  appendAll(
    out,
    (report.notes ?? []).map((n) => paint('dim', `note: ${n}`)),
  )
  out.push(verdictLine(report, paint))
  return out.join('\n') + '\n'
}

/** Beyond this many, the text names the count; the JSON report lists every path left out. */
const SKIPPED_SHOWN = 10

/** What the search left out, compactly: one line with the first few paths and their reasons. */
function leftOut(report: Report, paint: (c: Color, s: string) => string): string[] {
  const skipped = report.skipped ?? []
  if (skipped.length === 0) return []
  const shown = skipped.slice(0, SKIPPED_SHOWN).map((s) => `${s.path} (${s.reason})`)
  const more = skipped.length > SKIPPED_SHOWN ? `, and ${skipped.length - SKIPPED_SHOWN} more` : ''
  return [paint('dim', `left out: ${shown.join('; ')}${more}`)]
}

function describeKind(kind: string, certificates: number): string {
  if (kind === 'certificates') return `${certificates} certificate${certificates === 1 ? '' : 's'}`
  return kind
}

function revocationText(r: Revocation, report: Report, paint: (c: Color, s: string) => string): string {
  const color: Color =
    r.status === 'good' ? 'green' : r.status === 'exempt' || r.status === 'skipped' ? 'dim' : 'red'
  const parts = [`revocation ${paint(color, r.status)}`]
  if (r.source !== 'none') parts.push(`via ${sourceOf(r)}`)
  if (r.revokedAt) parts.push(`revoked ${r.revokedAt}${r.reason ? ` (${r.reason})` : ''}`)
  if (r.nextUpdate) parts.push(`next update ${timeUntil(r.nextUpdate, report.now)}`)
  if (r.detail && r.status !== 'good' && r.status !== 'revoked') parts.push(`: ${r.detail}`)
  return parts.join(', ').replace(', :', ':')
}

/** Where the verdict came from: "ocsp", or "ocsp (cache)" when --cache-dir supplied the answer. */
export const sourceOf = (r: Revocation): string => (r.cached ? `${r.source} (cache)` : r.source)

/** "in 3d 4h" / "5h ago", for nextUpdate and expiry. */
export function timeUntil(iso: string, nowIso: string): string {
  const ms = new Date(iso).getTime() - new Date(nowIso).getTime()
  const abs = Math.abs(ms)
  const d = Math.floor(abs / 86_400_000)
  const h = Math.floor((abs % 86_400_000) / 3_600_000)
  const m = Math.floor((abs % 3_600_000) / 60_000)
  const span = d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${m}m` : `${m}m`
  return ms >= 0 ? `in ${span}` : `${span} ago`
}

function verdictLine(report: Report, paint: (c: Color, s: string) => string): string {
  const s = report.summary
  const counts = [
    `${s.errors} error${s.errors === 1 ? '' : 's'}`,
    `${s.warnings} warning${s.warnings === 1 ? '' : 's'}`,
    ...(s.ignored ? [`${s.ignored} ignored`] : []),
    `${s.revoked} revoked`,
  ].join(', ')
  const scope = `${s.certificates} certificate${s.certificates === 1 ? '' : 's'} in ${s.files} file${s.files === 1 ? '' : 's'}${s.endpoints ? ` and ${s.endpoints} endpoint${s.endpoints === 1 ? '' : 's'}` : ''}${report.scope ? ` (${report.scope.label})` : ''}`
  if (report.result === 'pass')
    return `${paint('green', paint('bold', 'certgate: PASS'))}  ${counts}; ${scope}`
  const why = s.reasons.length ? ` — failed on ${s.reasons.join(', ')}` : ''
  return `${paint('red', paint('bold', 'certgate: FAIL'))}  ${counts}; ${scope}${why}`
}
