// The CLI end to end, as a pipeline runs it: a folder with one operator
// mistake per file gives exactly the expected rule ids on the expected files
// and lines and exits 1; the correct chain alone exits 0.
import { execFile } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { runCli } from '../src/cli.js'
import type { Report } from '../src/report/types.js'
import { ext, issue, tempDir, type Issued } from './helpers/pki.js'
import * as x509 from '../src/model/x509.js'

const run = promisify(execFile)
const DAY = 86_400_000

interface Fixture {
  dir: string
  root: string
  /** file name → the certificates written in it, in order */
  files: Record<string, Issued[]>
}

async function buildFixture(): Promise<Fixture> {
  const dir = tempDir('certgate-cli-')
  const root = await issue({ cn: 'CLI Test Root', extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
  const intermediate = await issue({
    cn: 'CLI Test Intermediate',
    issuer: root,
    days: 1825,
    extensions: [
      ext.ca(0),
      ext.caKeyUsage(),
      ext.aia([], ['http://ca.example.test/root.crt']),
      ext.crlDp('http://crl.example.test/root.crl'),
    ],
  })
  const leafExtensions = (overrides: { eku?: x509.Extension; bc?: x509.Extension; san?: boolean } = {}) => [
    overrides.bc ?? ext.notCa(),
    ext.leafKeyUsage(),
    overrides.eku ?? ext.serverAuth(),
    ...(overrides.san === false ? [] : [ext.san('leaf.example.test')]),
    ext.aia(['http://ocsp.example.test'], ['http://ca.example.test/intermediate.crt']),
    ext.crlDp('http://crl.example.test/intermediate.crl'),
  ]
  const leaf = (cn: string, opts: Partial<Parameters<typeof issue>[0]> = {}, overrides = {}) =>
    issue({ cn, issuer: intermediate, days: 90, extensions: leafExtensions(overrides), ...opts })

  const good = await leaf('good.example.test')
  const files: Record<string, Issued[]> = {
    'fullchain.pem': [good, intermediate],
    'misordered.pem': [intermediate, await leaf('misordered.example.test')],
    'ca-leaf.pem': [await leaf('ca.example.test', {}, { bc: ext.ca() }), intermediate],
    'no-server-auth.pem': [
      await leaf('client.example.test', {}, { eku: ext.eku('1.3.6.1.5.5.7.3.2') }),
      intermediate,
    ],
    'rsa1024.pem': [await leaf('rsa1024.example.test', { key: 'rsa1024' }), intermediate],
    'sha1.pem': [await leaf('sha1.example.test', { hash: 'SHA-1' }), intermediate],
    'expired.pem': [
      await leaf('expired.example.test', {
        notBefore: new Date(Date.now() - 100 * DAY),
        notAfter: new Date(Date.now() - 10 * DAY),
      }),
      intermediate,
    ],
    'no-san.pem': [await leaf('nosan.example.test', {}, { san: false }), intermediate],
  }
  for (const [name, certs] of Object.entries(files)) {
    writeFileSync(join(dir, name), certs.map((c) => c.pem).join(''))
  }
  writeFileSync(
    join(dir, 'garbage.pem'),
    'not a certificate\n-----BEGIN CERTIFICATE-----\n%%%%\n-----END CERTIFICATE-----\n',
  )
  const rootPath = join(tempDir('certgate-cli-root-'), 'root.pem')
  writeFileSync(rootPath, root.pem)
  return { dir, root: rootPath, files }
}

/** The BEGIN line of the n-th certificate of a file as the test wrote it. */
const lineOf = (fixture: Fixture, file: string, index: number): number =>
  1 + fixture.files[file].slice(0, index).reduce((n, c) => n + c.pem.trimEnd().split('\n').length, 0)

/** Errors and warnings as "file:line rule" (info notes do not gate). */
function findingsOf(report: Report): string[] {
  const out: string[] = []
  const shown = (x: { severity: string }) => x.severity !== 'info'
  for (const f of report.files)
    for (const x of f.findings.filter(shown)) out.push(`${f.file}:${x.line ?? 1} ${x.rule}`)
  for (const c of report.certificates)
    for (const x of c.findings.filter(shown)) out.push(`${c.file}:${x.line ?? c.line} ${x.rule}`)
  return out.sort()
}

let fixture: Fixture
beforeAll(async () => {
  fixture = await buildFixture()
})

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    cwd: fixture.dir,
  })
  return { code, stdout, stderr }
}

/** A lint-only JSON run trusting the fixture's root, as a pipeline would gate on it. */
async function jsonReport(...paths: string[]): Promise<{ code: number; report: Report }> {
  const { code, stdout } = await cli([
    'check',
    '--format',
    'json',
    '--revocation',
    'off',
    '--trust',
    fixture.root,
    ...paths,
  ])
  return { code, report: JSON.parse(stdout) as Report }
}

test('every operator mistake is reported on its file and line, and the gate fails', async () => {
  const { code, report } = await jsonReport('.')
  const l = (file: string, i: number) => `${file}:${lineOf(fixture, file, i)}`
  expect(findingsOf(report)).toEqual(
    [
      `${l('misordered.pem', 0)} chain-order`,
      `${l('ca-leaf.pem', 0)} basic-constraints-ca-leaf`,
      `${l('no-server-auth.pem', 0)} eku-server-auth-missing`,
      `${l('rsa1024.pem', 0)} weak-key`,
      `${l('sha1.pem', 0)} weak-signature`,
      `${l('expired.pem', 0)} expired`,
      `${l('no-san.pem', 0)} san-missing`,
      'garbage.pem:2 parse-error',
    ].sort(),
  )
  expect(report.result).toBe('fail')
  expect(code).toBe(1)
  expect(report.files.map((f) => f.file).sort()).toEqual(
    [...Object.keys(fixture.files), 'garbage.pem'].sort(),
  )
  const good = report.certificates.find((c) => c.file === 'fullchain.pem' && c.index === 0)!
  expect(good.role).toBe('leaf')
  expect(report.certificates.find((c) => c.file === 'fullchain.pem' && c.index === 1)!.role).toBe(
    'intermediate',
  )
})

test('the correct fullchain alone passes', async () => {
  const { code, stdout } = await cli([
    'check',
    '--revocation',
    'off',
    '--trust',
    fixture.root,
    'fullchain.pem',
  ])
  expect(stdout).toContain('certgate: PASS')
  expect(code).toBe(0)
})

test('without the root as trust anchor the chain is incomplete', async () => {
  const { code, stdout } = await cli(['check', '--format', 'json', '--revocation', 'off', 'fullchain.pem'])
  const report = JSON.parse(stdout) as Report
  expect(findingsOf(report)).toContain(`fullchain.pem:1 chain-incomplete`)
  expect(code).toBe(1)
})

test('--fail-on decides which findings fail the gate', async () => {
  const { code } = await cli([
    'check',
    '--revocation',
    'off',
    '--trust',
    fixture.root,
    '--fail-on',
    'revoked',
    '.',
  ])
  expect(code).toBe(0)
})

test('config ignores keep the finding, show the reason and stop it counting', async () => {
  writeFileSync(
    join(fixture.dir, '.certgate.yml'),
    'ignore:\n  - rule: weak-key\n    path: rsa1024.pem\n    reason: appliance cannot do RSA-2048 (TICKET-1)\n',
  )
  try {
    const { report } = await jsonReport('rsa1024.pem')
    const finding = report.certificates[0].findings.find((f) => f.rule === 'weak-key')!
    expect(finding.ignored).toBe('appliance cannot do RSA-2048 (TICKET-1)')
    expect(report.result).toBe('pass')
  } finally {
    writeFileSync(join(fixture.dir, '.certgate.yml'), '')
  }
})

test.each([
  [['check', '--format', 'yaml', '.'], '--format: "yaml" is not one of text, json, sarif'],
  [['check', '--fail-on', 'revokd', '.'], '--fail-on: "revokd" not accepted'],
  [['check', '--timeout', 'ten', '.'], '--timeout: "ten" is not a duration'],
  [['check', '--deadline', '0s', '.'], '--deadline: "0s" is no time at all'],
  [
    ['check', '--crl-budget', '512', '.'],
    '--crl-budget: "512" is not a size; use a number with B, KiB, MiB or GiB',
  ],
  [['check', '--bogus', '.'], 'unknown option --bogus'],
  [['check', 'no-such-dir'], 'no such file, directory or matching glob: no-such-dir'],
  [['lint', '.'], 'unknown command "lint"'],
])('usage error %j exits 2 with one clear line', async (args, message) => {
  const { code, stderr } = await cli(args)
  expect(code).toBe(2)
  expect(stderr).toContain(message)
})

test('--help documents every option with its default', async () => {
  const { code, stdout } = await cli(['--help'])
  expect(code).toBe(0)
  for (const option of [
    '--fail-on',
    '--profile',
    '--trust',
    '--revocation',
    '--timeout',
    '--now',
    '--config',
    '--deadline',
    '--crl-budget',
  ]) {
    expect(stdout).toContain(option)
  }
  expect(stdout).toContain('[10s]')
  expect(stdout).toContain('[15m]')
  expect(stdout).toContain('[512MiB]')
  expect(stdout).toContain('At most 4 URLs of each kind')
})

const bundle = join(process.cwd(), 'dist', 'cli.js')
;(existsSync(bundle) ? test : test.skip)('the committed bundle gives the same verdicts', async () => {
  const args = [bundle, 'check', '--format', 'json', '--revocation', 'off', '--trust', fixture.root, '.']
  const failed = await run(process.execPath, args, { cwd: fixture.dir }).catch((e) => e)
  expect(failed.code).toBe(1)
  expect(JSON.parse(failed.stdout).result).toBe('fail')
  const passed = await run(process.execPath, [...args.slice(0, -1), 'fullchain.pem'], { cwd: fixture.dir })
  expect(JSON.parse(passed.stdout).result).toBe('pass')
})

;(existsSync(bundle) ? test : test.skip)(
  'many requests in flight print no warning, under each Node here: stderr holds only what certgate says',
  async () => {
    // A responder that answers every request with 500 after a while: 24 leaves at --concurrency 16
    // put 16 requests on the run's deadline at once. Node 20 warns past 10 listeners on one
    // AbortSignal ("MaxListenersExceededWarning: Possible EventTarget memory leak"); Node 24 does
    // not. `npm test` runs jest on Node 24 from node_modules; npm itself ran on the machine's Node.
    let inFlight = 0
    let most = 0
    const server = http.createServer((_req, res) => {
      most = Math.max(most, ++inFlight)
      setTimeout(() => (inFlight--, res.writeHead(500).end()), 300)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
      const dir = tempDir('certgate-cli-many-')
      const root = await issue({ cn: 'Many Root', extensions: [ext.ca(), ext.caKeyUsage()] })
      for (let i = 0; i < 24; i++) {
        const leaf = await issue({
          cn: `many-${i}.example.test`,
          issuer: root,
          extensions: [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth(), ext.aia([url])],
        })
        writeFileSync(join(dir, `leaf-${i}.pem`), leaf.pem)
      }
      writeFileSync(join(dir, 'root.pem'), root.pem)
      const args = [bundle, 'check', '--format', 'json', '--revocation', 'ocsp', '--allow-private-network']
      const runtimes = [...new Set([process.execPath, process.env.npm_node_execpath ?? process.execPath])]
      for (const node of runtimes) {
        most = 0
        const failed = await run(
          node,
          [...args, ...['--concurrency', '16', '--retries', '0', '--trust', 'root.pem', '.']],
          // `npm test` sets NODE_NO_WARNINGS for jest; a user's shell does not.
          { cwd: dir, env: { ...process.env, NODE_NO_WARNINGS: '' } },
        ).catch((e: { code: number; stdout: string; stderr: string }) => e)
        const report = JSON.parse(failed.stdout) as Report
        expect(report.certificates.filter((c) => c.revocation?.status === 'unreachable')).toHaveLength(24)
        expect(most).toBe(16)
        expect({ node, stderr: failed.stderr }).toEqual({ node, stderr: '' })
      }
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  },
)
