// What the runner shows: a log group per file, an annotation per finding and
// per failing revocation status on the file and PEM line, and a job summary.
// @actions/core escapes annotation data and properties, and free text goes out
// between stop-commands markers, so nothing taken from a certificate or a file
// name can inject a workflow command.
import { randomBytes } from 'node:crypto'
import { EOL } from 'node:os'
import { isFailableStatus } from '../policy.js'
import * as core from '@actions/core'
import type { Finding, Revocation } from '../model/types.js'
import { renderSummary } from './summary.js'
import { renderText } from './text.js'
import type { Report } from './types.js'

export function logGroups(report: Report): void {
  const certsOf = new Map<string, Report['certificates']>()
  for (const c of report.certificates) certsOf.set(c.file, [...(certsOf.get(c.file) ?? []), c])
  for (const file of report.files) {
    const single: Report = {
      ...report,
      files: [file],
      certificates: certsOf.get(file.file) ?? [],
      endpoints: [],
    }
    const lines = renderText(single, { color: false }).trimEnd().split('\n').slice(1, -1)
    const marker = file.failed || single.certificates.some((c) => c.failed) ? '✗' : '✓'
    core.startGroup(`${marker} ${file.file}`)
    logUntrusted(lines.join('\n') || '  (nothing to report)')
    core.endGroup()
  }
}

/**
 * Prints text that carries subjects, messages, URLs and file names from
 * untrusted input. A line of it starting with `::` would be a workflow
 * command, so the runner is told to ignore commands until a token nobody
 * could have guessed when the certificate was made.
 */
export function logUntrusted(text: string): void {
  const token = randomBytes(16).toString('hex')
  process.stdout.write(`::stop-commands::${token}${EOL}${text}${EOL}::${token}::${EOL}`)
}

export function annotate(report: Report): void {
  const emit = (f: Finding, file: string, line: number) => {
    if (f.ignored) return
    const props = { file, startLine: f.line ?? line, title: `certgate ${f.rule}` }
    if (f.severity === 'error') core.error(f.message, props)
    else if (f.severity === 'warning') core.warning(f.message, props)
    else core.notice(f.message, props)
  }
  // A failing status is an error when it fails the gate, a warning when --fail-on or --soft-fail let it pass.
  const emitRevocation = (
    r: Revocation | undefined,
    what: string,
    at: { file: string; line: number; failed: boolean },
  ) => {
    if (!r || !isFailableStatus(r.status)) return
    const message = `${what}: revocation ${r.status}${r.detail ? `: ${r.detail}` : ''}`
    const props = { file: at.file, startLine: at.line, title: `certgate revocation ${r.status}` }
    if (at.failed) core.error(message, props)
    else core.warning(message, props)
  }
  for (const file of report.files) {
    for (const f of file.findings) emit(f, file.file, 1)
    emitRevocation(file.revocation, 'stored OCSP response', { file: file.file, line: 1, failed: file.failed })
  }
  for (const cert of report.certificates) {
    for (const f of cert.findings) emit(f, cert.file, cert.line)
    emitRevocation(cert.revocation, cert.subject, cert)
  }
}

/** The job summary (GITHUB_STEP_SUMMARY), when the runner provides one. */
export async function writeSummary(report: Report): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(report)).write()
}
