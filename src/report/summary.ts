// The job summary a person reads at a glance: a verdict line saying what
// failed, then every certificate with its revocation status, source, time to
// nextUpdate and findings (failures first), files and endpoints with their
// own problems, and a diagram of the chains. Markdown, as GitHub renders it.
import { isFailableStatus } from '../policy.js'
import type { Finding, Revocation } from '../model/types.js'
import { chainDiagram, shortName, standingOf } from './mermaid.js'
import { groupBy } from '../model/group-by.js'
import { sourceOf, timeUntil } from './text.js'
import { ANNOTATIONS_SHOWN_PER_LEVEL, type Annotation } from './annotations.js'
import type { CertificateReport, Report } from './types.js'
import { injectFault, internalErrorMessage } from '../contain.js'

/** GitHub caps a step summary at 1 MiB; a few hundred rows say all a person reads. */
export const MAX_ROWS = 250

const ICON = { error: '❌', warning: '⚠️', info: 'ℹ️' } as const

/**
 * Table cells hold text from untrusted certificates and file names: markup
 * characters are escaped so a subject cannot open a link, an image or an
 * HTML element, a newline cannot end the row (and so start a heading), a
 * pipe cannot add a column, and a URL or address is not made a link by
 * GitHub's autolinking (its `:`, `@` and `www.` are written as entities).
 */
export const cell = (s: string): string =>
  s
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/:/g, '&#58;')
    .replace(/@/g, '&#64;')
    .replace(/\b(www)\./gi, '$1&#46;')

const CONTROL_ESCAPES: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/g

/**
 * A file name or endpoint as a code span: inside one Markdown is not parsed,
 * so only what ends the span or the row needs care. Control characters are
 * shown escaped (`\n`), so a name holding a line break stays one
 * recognisable cell; a pipe is escaped, as GitHub's tables ask even inside
 * code spans (after an odd number of backslashes, since the table reads a
 * backslash as escaping the next character, whatever it is).
 */
export const codeCell = (s: string): string =>
  '`' +
  s
    .replace(CONTROL, (ch) => CONTROL_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/`/g, "'")
    .replace(/(\\*)\|/g, (_, slashes: string) => `${slashes}${slashes.length % 2 ? '\\' : ''}\\|`) +
  '`'

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`

function findingsCell(findings: readonly Finding[]): string {
  return findings
    .filter((f) => !f.ignored)
    .map((f) => `${ICON[f.severity]} ${cell(f.rule)}`)
    .join('<br>')
}

function revocationCell(r: Revocation): string {
  const status = isFailableStatus(r.status) ? `**${r.status}**` : r.status
  const extra =
    r.status === 'revoked' && r.revokedAt
      ? ` ${r.revokedAt.slice(0, 10)}${r.reason ? ` (${r.reason})` : ''}`
      : ''
  const detail = isFailableStatus(r.status) && r.status !== 'revoked' && r.detail ? `: ${cell(r.detail)}` : ''
  return `${status}${cell(extra)}${detail}`
}

const nextUpdateCell = (r: Revocation | undefined, now: string) =>
  r?.nextUpdate ? timeUntil(r.nextUpdate, now) : ''

const table = (header: string[], rows: string[][]): string[] => [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => ' --- ').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
]

const STANDING_ICON = { fail: '❌', warn: '⚠️', ok: '✅' } as const
const rowRank = (c: CertificateReport) => ['fail', 'warn', 'ok'].indexOf(standingOf(c))

export function renderSummary(report: Report, notAnnotated: readonly Annotation[] = []): string {
  const s = report.summary
  const out: string[] = []
  const scope = report.scope ? ` (${cell(report.scope.label)})` : ''
  const checked = `${plural(s.certificates, 'certificate')} in ${plural(s.files, 'file')}${s.endpoints ? `, ${plural(s.endpoints, 'endpoint')}` : ''}${scope}`
  if (report.result === 'pass') {
    out.push(`## ✅ certgate passed`, '', `Checked ${checked}: nothing fails the gate.`)
  } else {
    out.push(
      `## ❌ certgate failed`,
      '',
      `**Failed on ${cell(s.reasons.join(', '))}** — ${plural(s.failed, 'item')} fail${s.failed === 1 ? 's' : ''} the gate; checked ${checked}.`,
    )
  }
  const counts = [
    plural(s.errors, 'error'),
    plural(s.warnings, 'warning'),
    `${s.revoked} revoked`,
    ...(s.ignored ? [`${s.ignored} ignored`] : []),
  ]
  out.push('', counts.join(' · '), `<sub>judged at ${report.now}, profile ${cell(report.profile)}</sub>`)
  if (report.notes?.length) out.push('', `> ${report.notes.map((n) => `ℹ️ ${cell(n)}`).join('<br>')}`)

  // The same intermediate in twenty fullchain files, judged the same each time, is one row.
  const groups = groupBy(report.certificates, (c) =>
    [
      c.sha256,
      c.revocation.status,
      ...c.findings.map((f) => `${f.severity}:${f.rule}:${f.ignored ?? ''}`),
    ].join('|'),
  )
  const rows = [...groups.values()].sort((a, b) => rowRank(a[0]) - rowRank(b[0]))
  if (rows.length) {
    out.push('', '### Certificates', '')
    out.push(
      ...table(
        ['', 'Certificate', 'Subject', 'Role', 'Revocation', 'Source', 'Next update', 'Findings'],
        rows.slice(0, MAX_ROWS).map(([c, ...same]) => {
          try {
            injectFault('report', `summary ${c.sha256} ${c.file}`)
            return [
              STANDING_ICON[standingOf(c)],
              `${codeCell(`${c.file}:${c.line}`)}${same.length ? `<br><sub>and ${plural(same.length, 'more file')}</sub>` : ''}`,
              cell(shortName(c.subject)),
              c.role,
              revocationCell(c.revocation),
              sourceOf(c.revocation),
              nextUpdateCell(c.revocation, report.now),
              findingsCell(c.findings),
            ]
          } catch (error) {
            // One row that cannot be written says so; the table and the rest of the summary stand.
            const message = internalErrorMessage('writing this certificate in the summary', error)
            return ['❌', codeCell(`${c.file}:${c.line}`), '', '', '', '', '', cell(message)]
          }
        }),
      ),
    )
    const hidden = rows.slice(MAX_ROWS)
    if (hidden.length) {
      const failing = hidden.filter(([c]) => c.failed).length
      out.push(
        '',
        `… and ${plural(hidden.length, 'more certificate')}${failing ? ` (${failing} failing)` : ''}; the JSON report (\`report-file\`) lists every one.`,
      )
    }
  }

  // Files matter here only for what is wrong with the file itself (unreadable, not a certificate, a stored response).
  const files = report.files.filter((f) => f.findings.some((x) => !x.ignored) || f.revocation)
  if (files.length) {
    out.push('', '### Files', '')
    out.push(
      ...table(
        ['', 'File', 'Kind', 'Revocation', 'Next update', 'Findings'],
        files
          .slice(0, MAX_ROWS)
          .map((f) => [
            f.failed ? '❌' : '✅',
            codeCell(f.file),
            f.kind,
            f.revocation ? revocationCell(f.revocation) : '',
            nextUpdateCell(f.revocation, report.now),
            findingsCell(f.findings),
          ]),
      ),
    )
  }

  if (report.endpoints.length) {
    out.push('', '### Endpoints', '')
    out.push(
      ...table(
        ['', 'Endpoint', 'Staple', 'Revocation', 'Next update', 'Findings'],
        report.endpoints.map((e) => [
          e.failed ? '❌' : '✅',
          codeCell(`${e.host}:${e.port}`),
          e.stapled ? 'stapled' : 'none',
          e.revocation ? revocationCell(e.revocation) : '',
          nextUpdateCell(e.revocation, report.now),
          findingsCell(e.findings),
        ]),
      ),
    )
  }

  // GitHub dropped these from the files: this is where a reader finds them.
  if (notAnnotated.length) {
    out.push(
      '',
      `### ${plural(notAnnotated.length, 'annotation')} not shown on the files`,
      '',
      `GitHub shows ${ANNOTATIONS_SHOWN_PER_LEVEL} error and ${ANNOTATIONS_SHOWN_PER_LEVEL} warning annotations per step; the most important were shown, these were not.`,
      '',
      ...table(
        ['', 'Where', 'Rule', 'Message'],
        notAnnotated
          .slice(0, MAX_ROWS)
          .map((a) => [
            ICON[a.level === 'notice' ? 'info' : a.level],
            codeCell(`${a.file}:${a.line}`),
            cell(a.title.replace(/^certgate /, '')),
            cell(a.message),
          ]),
      ),
    )
    if (notAnnotated.length > MAX_ROWS)
      out.push(
        '',
        `… and ${notAnnotated.length - MAX_ROWS} more; the JSON report (\`report-file\`) lists every finding.`,
      )
  }

  const skipped = report.skipped ?? []
  if (skipped.length) {
    out.push('', `<details><summary>${plural(skipped.length, 'path')} left out of the search</summary>`, '')
    out.push(
      ...table(
        ['Path', 'Why'],
        skipped.slice(0, MAX_ROWS).map((s) => [codeCell(s.path), cell(s.reason)]),
      ),
    )
    out.push('', '</details>')
  }

  const diagram = chainDiagram(report)
  if (diagram) {
    out.push('', '### Chains', '', '```mermaid', diagram.mermaid, '```')
    if (diagram.omitted)
      out.push('', `${diagram.omitted} more chains not drawn; failing ones are drawn first.`)
  }
  return out.join('\n') + '\n'
}
