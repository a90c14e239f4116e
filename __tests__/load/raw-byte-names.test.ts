// Issue 12: a file name that is not valid UTF-8 was reported as ENOENT under
// a mangled name (U+FFFD) and never checked. Names made of raw bytes, in a
// folder whose name is raw bytes too, through the CLI as a user runs it:
// every file is read by its bytes, judged, and shown with each byte that is
// not UTF-8 escaped as \xNN, in JSON, text and SARIF.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../src/cli.js'
import type { Report } from '../../src/report/types.js'
import { issue, tempDir, type Issued } from '../helpers/pki.js'

let dir: string
let cert: Issued
const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))))

beforeAll(async () => {
  dir = tempDir('certgate-raw-names-')
  cert = await issue({ cn: 'raw.example.test' })
  // Latin-1 'é' (not UTF-8), then a name of nothing but bytes that lead no UTF-8 sequence.
  const folder = bytes(join(dir, 'd'), [0xe9])
  mkdirSync(folder)
  writeFileSync(Buffer.concat([folder, bytes('/caf', [0xe9], '.pem')]), cert.pem)
  writeFileSync(bytes(`${dir}/`, [0xff, 0xfe, 0x80], '.pem'), cert.pem)
  // Valid UTF-8 beside them stays as it is.
  writeFileSync(join(dir, 'café.pem'), 'not a certificate\n')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(format: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void) =>
    ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
  const code = await runCli(['check', '--revocation', 'off', '--format', format, '.'], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: dir,
  })
  return { code, stdout, stderr }
}

describe('file names that are not UTF-8', () => {
  test('are read by their bytes and judged, shown escaped (JSON)', async () => {
    const run = await cli('json')
    expect(run.stderr).toBe('')
    const report = JSON.parse(run.stdout) as Report
    expect(report.files.map((f) => [f.file, f.kind]).sort()).toEqual([
      ['\\xff\\xfe\\x80.pem', 'certificates'],
      ['caf\u00e9.pem', 'unreadable'],
      ['d\\xe9/caf\\xe9.pem', 'certificates'],
    ])
    for (const file of ['d\\xe9/caf\\xe9.pem', '\\xff\\xfe\\x80.pem']) {
      const entry = report.files.find((f) => f.file === file)!
      expect(entry.findings.filter((f) => f.rule === 'parse-error')).toEqual([])
      expect(report.certificates.filter((c) => c.file === file).map((c) => c.sha256)).toEqual([
        cert.model.sha256,
      ])
    }
    expect(run.stdout).not.toMatch(/ENOENT|\ufffd/)
  })

  test('text and SARIF show the same escaped names', async () => {
    const text = await cli('text')
    expect(text.stdout).toContain('d\\xe9/caf\\xe9.pem')
    expect(text.stdout).toContain('\\xff\\xfe\\x80.pem')
    expect(text.stdout).not.toMatch(/ENOENT|\ufffd/)
    const sarif = await cli('sarif')
    expect(sarif.stdout).not.toMatch(/ENOENT|\ufffd/)
  })
})
