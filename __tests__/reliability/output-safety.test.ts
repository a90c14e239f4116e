// What the gate prints is safe to print (issue 6, part 4). A URL in a
// certificate is a stranger's text: with `::` or a newline in it, it must not
// become a workflow command when the action logs it. Private keys committed
// beside certificates are found and reported, never echoed, in any format.
// The token the action is given never appears in its output.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFile } from 'node:child_process'
import { webcrypto } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runCli } from '../../src/cli.js'
import { tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { createTestCa, leaf, type TestCa } from './fixtures.js'

const bundle = join(process.cwd(), 'dist', 'index.js')
const TOKEN = 'ghs_reliabilityTokenThatMustNeverBePrinted0123'

let ca: TestCa
let workspace: string
/** Base64 lines of every private key written into the workspace. */
const keyLines: string[] = []
/** The injection attempts, each ending in a marker that must only ever appear as data. */
let injections: string[]

function pem(label: string, der: Uint8Array): string {
  const body =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  keyLines.push(...body.filter((line) => line.length >= 32))
  return `-----BEGIN ${label}-----\n${body.join('\n')}\n-----END ${label}-----\n`
}

beforeAll(async () => {
  ca = await createTestCa()
  workspace = tempDir('certgate-output-')
  const refused = `http://127.0.0.1:${await freePort()}`
  injections = [
    `${refused}/a\n::error file=pwned.pem,line=1::injected-by-newline`,
    `${refused}/b\r\n::warning::injected-by-crlf`,
    `${refused}/c%0A::notice::injected-by-percent`,
    `${refused}/d::add-mask::injected-by-colons`,
  ]
  for (const [index, url] of injections.entries()) {
    const cert = await leaf(ca, `inject-${index}.reliability.test`, { ocsp: [url] })
    writeFileSync(join(workspace, `inject-${index}.pem`), cert.pem)
  }
  writeFileSync(join(workspace, 'chain.pem'), ca.intermediate.pem)

  const site = await leaf(ca, 'site.reliability.test', {})
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', site.keys.privateKey))
  writeFileSync(join(workspace, 'site-with-key.pem'), site.pem + pem('PRIVATE KEY', pkcs8))
  const random = (n: number) => webcrypto.getRandomValues(new Uint8Array(n))
  writeFileSync(
    join(workspace, 'keys.pem'),
    pem('ENCRYPTED PRIVATE KEY', random(300)) +
      pem('RSA PRIVATE KEY', random(600)) +
      // A broken block: END label does not match and the base64 is cut short.
      pem('EC PRIVATE KEY', random(120)).replace('-----END EC PRIVATE KEY-----', '-----END CERTIFICATE-----'),
  )
})

afterAll(async () => {
  await ca.responder.close()
  for (const dir of [workspace, ca.trustDir]) rmSync(dir, { recursive: true, force: true })
})

function expectNoKeyMaterial(output: string): void {
  expect(keyLines.length).toBeGreaterThan(10)
  for (const line of keyLines) expect(output).not.toContain(line.slice(8, 40))
}

/**
 * A workflow command is `::name props::message` at the start of a line after
 * leading whitespace (the runner trims it). Every command line must be one
 * certgate means to send; injected markers may appear only inside messages.
 */
function expectOnlyOwnCommands(stdout: string): void {
  // Between `::stop-commands::TOKEN` and `::TOKEN::` the runner executes nothing: those lines are text.
  const active = stdout.replace(/^::stop-commands::(\w+)$[\s\S]*?^::\1::$/gm, '')
  const commands = active
    .split(/\r?\n|\r/)
    .map((line) => line.trimStart())
    .filter((line) => line.startsWith('::'))
  expect(commands.length).toBeGreaterThan(0)
  for (const line of commands) {
    const [, name, props] = /^::([A-Za-z-]+)( [^:]*)?::/.exec(line) ?? []
    const own =
      ((name === 'error' || name === 'warning' || name === 'notice') &&
        (props?.includes('title=certgate') || line.startsWith('::error::certgate:'))) ||
      ((name === 'group' || name === 'endgroup') && !line.includes('injected')) ||
      // The runner consumes add-mask and hides the value from then on: the one way a token may appear.
      line === `::add-mask::${TOKEN}`
    expect({ line, own }).toEqual({ line, own: true })
  }
}

describe('the action (dist/index.js) with hostile URLs and private keys in the scanned files', () => {
  ;(existsSync(bundle) ? test : test.skip)(
    'no URL becomes a workflow command, no key or token is printed',
    async () => {
      const outputFile = join(workspace, 'github-output')
      const summaryFile = join(workspace, 'step-summary')
      writeFileSync(outputFile, '')
      writeFileSync(summaryFile, '')
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        GITHUB_WORKSPACE: workspace,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        INPUT_FILES: '.',
        INPUT_REVOCATION: 'auto',
        'INPUT_ALLOW-PRIVATE-NETWORK': 'true',
        INPUT_TRUST: join(ca.trustDir, 'root.pem'),
        INPUT_TIMEOUT: '1s',
        'INPUT_GITHUB-TOKEN': TOKEN,
        'INPUT_REPORT-FILE': join(workspace, 'report.json'),
      }
      const { stdout, code } = await promisify(execFile)(process.execPath, [bundle], {
        cwd: workspace,
        env,
      }).then(
        (r) => ({ code: 0, stdout: r.stdout }),
        (e: { code: number; stdout: string }) => ({ code: e.code, stdout: e.stdout }),
      )
      expect(code).toBe(1)
      // The URLs were used (each leaf is unreachable at its refused port) and reported.
      expect(stdout).toContain('injected-by-newline')
      expect(stdout).toMatch(/title=certgate private-key-in-file/)
      expectOnlyOwnCommands(stdout)
      const written = [stdout, readFileSync(outputFile, 'utf8'), readFileSync(summaryFile, 'utf8')].join('\n')
      expect(written.replace(`::add-mask::${TOKEN}`, '')).not.toContain(TOKEN)
      expectNoKeyMaterial(written + readFileSync(join(workspace, 'report.json'), 'utf8'))
    },
  )
})

describe('the CLI with private keys in the scanned files', () => {
  test.each(['text', 'json', 'sarif'])('--format %s reports each key without printing it', async (format) => {
    let stdout = ''
    let stderr = ''
    const sink = (append: (s: string) => void) =>
      ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
    const code = await runCli(
      ['check', '--format', format, '--revocation', 'off', 'site-with-key.pem', 'keys.pem'],
      { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)), cwd: workspace },
    )
    expect(code).toBe(1)
    expect(stdout).toContain('private-key-in-file')
    expectNoKeyMaterial(stdout + stderr)
  })
})
