// check() as both shells call it, for tests that judge what users see: the
// report's roles, findings and verdict for the files given.
import { check } from '../../src/check.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { CertificateReport, Report } from '../../src/report/types.js'

/** The report of `check` on `inputs` (relative to `cwd`), revocation off unless `settings` says otherwise. */
export function checkFiles(cwd: string, inputs: string[], settings: RawSettings = {}): Promise<Report> {
  return check(resolveOptions({ revocation: 'off', ...settings }, { inputs, cwd }))
}

/** The report entry of the certificate with this sha256 in `file` (display path). */
export function entryOf(report: Report, sha256: string, file?: string): CertificateReport {
  const found = report.certificates.find((c) => c.sha256 === sha256 && (!file || c.file === file))
  if (!found) throw new Error(`certificate ${sha256} ${file ? `in ${file} ` : ''}is not in the report`)
  return found
}

/** Rule ids of the findings that count (not ignored), in order. */
export const rulesOf = (entry: { findings: { rule: string; ignored?: string }[] }): string[] =>
  entry.findings.filter((f) => !f.ignored).map((f) => f.rule)
