// What the runner shows: a log group per file, an annotation per finding and
// per failing revocation status on the file and PEM line, and a job summary.
// @actions/core escapes annotation data and properties, so a URL or subject
// taken from a certificate cannot inject a workflow command.
import * as core from '@actions/core'
import type { Finding, Revocation } from '../model/types.js'
import { renderText, timeUntil } from './text.js'
import type { Report } from './types.js'

const FAILING = new Set(['revoked', 'unknown', 'stale', 'invalid', 'unreachable'])

export function logGroups(report: Report): void {
  for (const file of report.files) {
    const single: Report = {
      ...report,
      files: [file],
      certificates: report.certificates.filter((c) => c.file === file.file),
      endpoints: [],
    }
    const lines = renderText(single, { color: false }).trimEnd().split('\n').slice(1, -1)
    const marker = file.failed || single.certificates.some((c) => c.failed) ? '✗' : '✓'
    core.startGroup(`${marker} ${file.file}`)
    core.info(lines.join('\n') || '  (nothing to report)')
    core.endGroup()
  }
}

export function annotate(report: Report): void {
  const emit = (f: Finding, file: string, line: number) => {
    if (f.ignored) return
    const props = { file, startLine: f.line ?? line, title: `certgate ${f.rule}` }
    if (f.severity === 'error') core.error(f.message, props)
    else if (f.severity === 'warning') core.warning(f.message, props)
    else core.notice(f.message, props)
  }
  const emitRevocation = (r: Revocation | undefined, what: string, file: string, line: number) => {
    if (!r || !FAILING.has(r.status)) return
    core.error(`${what}: revocation ${r.status}${r.detail ? `: ${r.detail}` : ''}`, {
      file,
      startLine: line,
      title: `certgate revocation ${r.status}`,
    })
  }
  for (const file of report.files) {
    for (const f of file.findings) emit(f, file.file, 1)
    emitRevocation(file.revocation, 'stored OCSP response', file.file, 1)
  }
  for (const cert of report.certificates) {
    for (const f of cert.findings) emit(f, cert.file, cert.line)
    emitRevocation(cert.revocation, cert.subject, cert.file, cert.line)
  }
}

/** Summary cells are HTML: subjects and messages come from untrusted certificates. */
const html = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] ?? ch,
  )

export async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const s = report.summary
  const verdict =
    report.result === 'pass'
      ? `✅ certgate passed: ${s.certificates} certificates in ${s.files} files`
      : `❌ certgate failed: ${s.reasons.join(', ')}`
  const rows = [...report.certificates].sort((a, b) => Number(b.failed) - Number(a.failed))
  core.summary.addHeading('certgate', 2).addRaw(html(verdict), true)
  core.summary.addTable([
    [
      { data: 'Certificate', header: true },
      { data: 'Subject', header: true },
      { data: 'Role', header: true },
      { data: 'Revocation', header: true },
      { data: 'Source', header: true },
      { data: 'Next update', header: true },
      { data: 'Findings', header: true },
    ],
    ...rows.map((c) =>
      [
        `${c.failed ? '❌' : '✅'} ${c.file}:${c.line}`,
        c.subject,
        c.role,
        c.revocation.status,
        c.revocation.source,
        c.revocation.nextUpdate ? timeUntil(c.revocation.nextUpdate, report.now) : '',
        c.findings
          .filter((f) => !f.ignored)
          .map((f) => `${f.severity} ${f.rule}`)
          .join(', '),
      ].map(html),
    ),
  ])
  await core.summary.write()
}
