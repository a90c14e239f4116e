// What the runner shows: a log group per file, annotations on the file and
// PEM line (the most important first, within GitHub's per-step limit), and a
// job summary that carries the annotations the limit left out.
// @actions/core escapes annotation data and properties, and free text goes out
// between stop-commands markers, so nothing taken from a certificate or a file
// name can inject a workflow command.
import { randomBytes } from 'node:crypto'
import { EOL } from 'node:os'
import * as core from '@actions/core'
import { planAnnotations, splitByLimit, type Annotation } from './annotations.js'
import { groupBy } from '../model/group-by.js'
import { renderSummary } from './summary.js'
import { renderText } from './text.js'
import type { Report } from './types.js'

export function logGroups(report: Report): void {
  const certsOf = groupBy(report.certificates, (c) => c.file)
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

/**
 * Emits every annotation, most important first (see annotations.ts): the
 * runner keeps the first of each level up to its per-step limit and the log
 * keeps them all. Returns those past the limit, for the summary.
 */
export function annotate(report: Report): Annotation[] {
  const annotations = planAnnotations(report)
  for (const a of annotations) {
    const props = { file: a.file, startLine: a.line, title: a.title }
    if (a.level === 'error') core.error(a.message, props)
    else if (a.level === 'warning') core.warning(a.message, props)
    else core.notice(a.message, props)
  }
  return splitByLimit(annotations).notShown
}

/** The job summary (GITHUB_STEP_SUMMARY), when the runner provides one, with the annotations not shown. */
export async function writeSummary(report: Report, notAnnotated: readonly Annotation[] = []): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  await core.summary.addRaw(renderSummary(report, notAnnotated)).write()
}
