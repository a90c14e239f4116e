// Issue 12: inputs large enough to break code that puts a whole list on the
// call stack. A file of 130,000 broken PEM blocks made 130,000 parse-error
// findings, and `allFindings.push(...findings)` in the report stage ended the
// run with "Maximum call stack size exceeded" and no report.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../src/cli.js'
import type { Report } from '../../src/report/types.js'
import { tempDir, webPki, type Issued } from '../helpers/pki.js'

const BLOCKS = 130_000

let dir: string
let leaf: Issued

beforeAll(async () => {
  dir = tempDir('certgate-large-input-')
  ;({ leaf } = await webPki())
  // Each block's base64 decodes to "Not a certificate": a parse-error finding apiece.
  const block = '-----BEGIN CERTIFICATE-----\nTm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n'
  writeFileSync(join(dir, 'broken.pem'), block.repeat(BLOCKS))
  writeFileSync(join(dir, 'leaf.pem'), leaf.pem)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** The CLI run in-process: exit status and what it wrote. */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void) =>
    ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
  const code = await runCli(['check', '--revocation', 'off', ...args, '.'], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: dir,
  })
  return { code, stdout, stderr }
}

describe('a file of 130,000 broken PEM blocks', () => {
  test('is reported, block by block, and the other file is still judged (JSON)', async () => {
    const run = await cli(['--format', 'json'])
    expect(run.stderr).not.toMatch(/internal error|call stack/)
    expect(run.code).toBe(1)
    const report = JSON.parse(run.stdout) as Report
    const broken = report.files.find((f) => f.file === 'broken.pem')
    expect(broken?.failed).toBe(true)
    const parseErrors = broken?.findings.filter((f) => f.rule === 'parse-error') ?? []
    expect(parseErrors).toHaveLength(BLOCKS)
    // Each finding sits on its own block's BEGIN line (3 lines a block).
    expect(parseErrors[BLOCKS - 1].line).toBe(3 * (BLOCKS - 1) + 1)
    expect(report.certificates.map((c) => c.file)).toEqual(['leaf.pem'])
    expect(report.summary.errors).toBeGreaterThanOrEqual(BLOCKS)
  }, 600_000)

  test('the text and SARIF reports are written too', async () => {
    const text = await cli(['--format', 'text'])
    expect(text.stderr).not.toMatch(/internal error|call stack/)
    expect(text.code).toBe(1)
    expect(text.stdout).toMatch(/broken\.pem/)
    const sarif = await cli(['--format', 'sarif'])
    expect(sarif.code).toBe(1)
    const results = (JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0].results
    expect(results.length).toBeGreaterThanOrEqual(BLOCKS)
  }, 600_000)
})
