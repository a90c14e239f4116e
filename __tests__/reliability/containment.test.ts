// Containment (issue 12, DESIGN.md "Bounds"): an exception while judging one
// file, certificate, stored response or report entry is a bug, and the run
// must survive it. CERTGATE_FAULT (src/contain.ts) makes one stage throw for
// one item; the report must still be complete, that item must carry an
// internal-error finding naming the failure, and every other item must be
// judged exactly as in a run without the fault. The peers are real: the CA
// is openssl's, and `openssl ocsp` answers on 127.0.0.1.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../src/cli.js'
import { renderSummary } from '../../src/report/summary.js'
import type { Report } from '../../src/report/types.js'
import { runAction } from '../helpers/action.js'
import { checkFiles } from '../helpers/check-run.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'

let pki: OpensslPki
let responder: ServerProcess
let dir: string
let settings: Record<string, unknown>
/** The run without a fault: what every item not hit by one must still say. */
let baseline: Report

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
  pki.staple('leaf-good', 'staple.der', ['-ndays', 1])
  responder = await pki.startResponder('delegated')
  dir = tempDir('certgate-containment-')
  copyFileSync(pki.path('leaf-good.crt'), join(dir, 'a.pem'))
  copyFileSync(pki.path('leaf-revoked.crt'), join(dir, 'b.pem'))
  copyFileSync(pki.path('leaf-unknown.crt'), join(dir, 'c.pem'))
  copyFileSync(pki.path('intermediate.crt'), join(dir, 'chain.pem'))
  copyFileSync(pki.path('staple.der'), join(dir, 'a.ocsp'))
  settings = {
    profile: 'private-tls',
    trust: pki.path('root.crt'),
    revocation: 'ocsp',
    'allow-private-network': true,
    retries: 0,
  }
  baseline = await checkFiles(dir, ['.'], settings)
}, 120_000)
afterAll(async () => {
  await stopProcess(responder)
  rmSync(pki.dir, { recursive: true, force: true })
  rmSync(dir, { recursive: true, force: true })
})
afterEach(() => {
  delete process.env.CERTGATE_FAULT
})

const FILES = ['a.ocsp', 'a.pem', 'b.pem', 'c.pem', 'chain.pem']
const statusOf = (report: Report, file: string) =>
  report.certificates.find((c) => c.file === file)?.revocation
const internalErrors = (report: Report, file: string): string[] =>
  [
    ...(report.files.find((f) => f.file === file)?.findings ?? []),
    ...report.certificates.filter((c) => c.file === file).flatMap((c) => c.findings),
  ].flatMap((f) => (f.rule === 'internal-error' ? [f.message] : []))

/** Every item but `hit` reads as in the baseline run; the report lists every file. */
function expectOthersUntouched(report: Report, hit: string[]): void {
  expect(report.files.map((f) => f.file).sort()).toEqual(FILES)
  for (const file of FILES.filter((f) => !hit.includes(f))) {
    expect({ file, errors: internalErrors(report, file) }).toEqual({ file, errors: [] })
    const before = baseline.certificates.filter((c) => c.file === file)
    const after = report.certificates.filter((c) => c.file === file)
    expect(after.map((c) => [c.sha256, c.revocation.status, c.findings.map((f) => f.rule)])).toEqual(
      before.map((c) => [c.sha256, c.revocation.status, c.findings.map((f) => f.rule)]),
    )
  }
}

async function withFault(fault: string): Promise<Report> {
  process.env.CERTGATE_FAULT = fault
  return checkFiles(dir, ['.'], settings)
}

describe('a bug while judging one item', () => {
  test('without a fault every item is judged, and none carries internal-error', () => {
    expect(statusOf(baseline, 'a.pem')?.status).toBe('good')
    expect(statusOf(baseline, 'b.pem')?.status).toBe('revoked')
    expect(statusOf(baseline, 'c.pem')?.status).toBe('unknown')
    expect(baseline.files.find((f) => f.file === 'a.ocsp')?.revocation?.status).toBe('good')
    for (const file of FILES) expect(internalErrors(baseline, file)).toEqual([])
  })

  test.each([
    ['load', 'load:a.pem', ['a.pem'], /certgate failed while loading this file \(Error: fault injected/],
    [
      'chain building',
      'chain:a.pem',
      ['a.pem'],
      /certgate failed while (reading the file as a served chain|building and validating its chain)/,
    ],
    ['one rule', 'rules:expired a.pem', ['a.pem'], /certgate failed while running rule expired on this/],
    ['the revocation check', 'revocation:a.pem', ['a.pem'], /certgate failed while checking its revocation/],
    [
      'a stored OCSP response',
      'staple:a.ocsp',
      ['a.ocsp'],
      /certgate failed while judging the stored OCSP response at line 1/,
    ],
    [
      'the evidence rules',
      'evidence:a.pem',
      ['a.pem'],
      /judging the evidence gathered about this certificate/,
    ],
    ['its report entry', 'report:a.pem', ['a.pem'], /certgate failed while writing its report entry/],
  ])(
    'in %s: an internal-error on that item, the rest judged as usual',
    async (_, fault, hit, message) => {
      const report = await withFault(fault)
      expect(report.result).toBe('fail')
      const errors = hit.flatMap((file) => internalErrors(report, file))
      expect(errors.length).toBeGreaterThan(0)
      for (const error of errors) {
        expect(error).toMatch(message)
        expect(error).toMatch(/fault injected by CERTGATE_FAULT/)
        expect(error).toMatch(/this is a bug in certgate/)
      }
      // The item fails the gate on it: an unjudged certificate never passes.
      const item = [
        ...report.files.filter((f) => hit.includes(f.file)),
        ...report.certificates.filter((c) => hit.includes(c.file)),
      ]
      expect(item.some((i) => i.failed)).toBe(true)
      expectOthersUntouched(report, hit)
    },
    60_000,
  )

  test('in its row of the job summary: the row says so, and the other rows stand', async () => {
    const hit = baseline.certificates.find((c) => c.file === 'b.pem')!
    const report = await withFault(`report:summary ${hit.sha256}`)
    const summary = renderSummary(report)
    expect(summary).toMatch(/`b\.pem:1`.*certgate failed while writing this certificate in the summary/)
    expect(summary).toContain('`a.pem:1`')
    expect(summary).toContain('`c.pem:1`')
  }, 60_000)

  test('in the revocation check: the certificate is invalid, with the reason, not left unjudged', async () => {
    const report = await withFault('revocation:a.pem')
    expect(statusOf(report, 'a.pem')).toMatchObject({
      status: 'invalid',
      detail: expect.stringMatching(/checking its revocation \(Error: fault injected/),
    })
  }, 60_000)

  test('in a stored OCSP response: the file is invalid, and the certificate keeps its live verdict', async () => {
    const report = await withFault('staple:a.ocsp')
    expect(report.files.find((f) => f.file === 'a.ocsp')?.revocation?.status).toBe('invalid')
    expect(statusOf(report, 'a.pem')?.status).toBe('good')
  }, 60_000)
})

describe('the CLI writes the whole report', () => {
  async function cli(format: string): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = ''
    let stderr = ''
    const sink = (append: (s: string) => void) =>
      ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
    const args = ['check', '--format', format, '--profile', 'private-tls', '--trust', pki.path('root.crt')]
    const code = await runCli([...args, '--revocation', 'off', '.'], {
      stdout: sink((s) => (stdout += s)),
      stderr: sink((s) => (stderr += s)),
      cwd: dir,
    })
    return { code, stdout, stderr }
  }

  test.each(['json', 'sarif', 'text'])(
    'in %s, with the internal-error on its certificate',
    async (format) => {
      process.env.CERTGATE_FAULT = 'rules:expired b.pem'
      const run = await cli(format)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(1)
      expect(run.stdout).toMatch(/internal-error/)
      expect(run.stdout).toMatch(/running rule expired on this certificate/)
      // SARIF holds results only; JSON and text list every file.
      for (const file of format === 'sarif' ? ['a.pem', 'b.pem', 'c.pem'] : FILES)
        expect(run.stdout).toContain(file)
    },
    60_000,
  )

  test('a failure rendering one certificate in the text report leaves a line saying so, and the rest', async () => {
    const hit = baseline.certificates.find((c) => c.file === 'b.pem')!
    process.env.CERTGATE_FAULT = `report:text ${hit.sha256}`
    const run = await cli('text')
    expect(run.stderr).toBe('')
    expect(run.stdout).toMatch(
      /b\.pem:1 {2}#0 .*internal-error {2}certgate failed while writing this certificate/,
    )
    expect(run.stdout).toMatch(/a\.pem:1 {2}#0 leaf/)
    expect(run.stdout).toMatch(/c\.pem:1 {2}#0 leaf/)
  }, 60_000)

  test('a failure writing one certificate in SARIF leaves one result saying so, and the others', async () => {
    const hit = baseline.certificates.find((c) => c.file === 'b.pem')!
    process.env.CERTGATE_FAULT = `report:sarif ${hit.sha256}`
    const run = await cli('sarif')
    expect(run.stderr).toBe('')
    type Result = { ruleId: string; message: { text: string }; locations: unknown[] }
    const results = (JSON.parse(run.stdout) as { runs: { results: Result[] }[] }).runs[0].results
    const onB = results.filter((r) => JSON.stringify(r.locations).includes('"b.pem"'))
    expect(onB.map((r) => r.ruleId)).toEqual(['internal-error'])
    expect(onB[0].message.text).toMatch(/certgate failed while writing this certificate in the SARIF report/)
    expect(results.some((r) => JSON.stringify(r.locations).includes('"a.pem"'))).toBe(true)
  }, 60_000)
})

// The action as the runner runs it (dist/index.js): outputs, report file,
// SARIF, annotations and summary are each written whatever befalls the others.
describe('the action writes every output', () => {
  const inputs = () => ({
    files: '.',
    profile: 'private-tls',
    trust: pki.path('root.crt'),
    'report-file': 'out/report.json',
    'sarif-file': 'out/report.sarif',
  })
  const clean = () => rmSync(join(dir, 'out'), { recursive: true, force: true })

  test('with a bug in one rule on one certificate: an annotation names it, and the rest is there', async () => {
    clean()
    const run = await runAction(dir, inputs(), { CERTGATE_FAULT: 'rules:expired b.pem' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(
      /^::error title=certgate internal-error,file=b\.pem,line=1::certgate failed while running rule expired/m,
    )
    expect(run.stdout).not.toMatch(/certgate: internal error/)
    expect(run.outputs).toMatchObject({
      result: 'fail',
      'report-file': 'out/report.json',
      'sarif-file': 'out/report.sarif',
    })
    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')) as Report
    expect(report.files.map((f) => f.file).sort()).toEqual(expect.arrayContaining(FILES))
    expect(readFileSync(join(dir, 'out/report.sarif'), 'utf8')).toMatch(/internal-error/)
    expect(run.summary).toMatch(/internal-error/)
  }, 60_000)

  test('with a bug writing the summary: the outputs, report file and SARIF are written, and the step fails saying why', async () => {
    clean()
    const run = await runAction(dir, inputs(), { CERTGATE_FAULT: 'report:summary' })
    expect(run.stdout).toMatch(
      /^::error::certgate: internal error writing the summary: Error: fault injected/m,
    )
    expect(run.outputs).toMatchObject({ 'report-file': 'out/report.json', 'sarif-file': 'out/report.sarif' })
    expect(existsSync(join(dir, 'out/report.json'))).toBe(true)
    expect(existsSync(join(dir, 'out/report.sarif'))).toBe(true)
    // The log groups are written; the gate itself passed, and the broken summary fails the step.
    expect(run.stdout).toMatch(/^::group::✓ b\.pem$/m)
    expect(run.outputs.result).toBe('pass')
    expect(run.code).toBe(1)
  }, 60_000)
})
