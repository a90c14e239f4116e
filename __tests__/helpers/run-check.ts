// `certgate check --format json` run in-process through the CLI's own entry
// point, with its exit status, report and error output, as a user sees them.
import { runCli } from '../../src/cli.js'
import type { CertificateReport, Report } from '../../src/report/types.js'

export interface CheckRun {
  code: number
  report: Report
  stderr: string
}

export async function runCheck(args: string[], cwd: string): Promise<CheckRun> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void) =>
    ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
  const code = await runCli(['check', '--format', 'json', ...args], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd,
  })
  if (!stdout.startsWith('{')) throw new Error(`no JSON report (exit ${code}): ${stderr}`)
  return { code, report: JSON.parse(stdout) as Report, stderr }
}

/** The report entry of the certificate with this SHA-256 (the first occurrence). */
export function certificateEntry(run: CheckRun, sha256: string): CertificateReport {
  const found = run.report.certificates.find((c) => c.sha256 === sha256)
  if (!found) throw new Error(`certificate ${sha256} is not in the report`)
  return found
}
