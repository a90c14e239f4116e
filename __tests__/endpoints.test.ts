// `--endpoint` through check(): real servers on 127.0.0.1 staple (or do not
// staple) responses made by `openssl ocsp` from the CA's own index, and the
// report judges the staple and lints the served chain like a file.
import { rmSync } from 'node:fs'
import { check } from '../src/check.js'
import { resolveOptions, type RawSettings } from '../src/options.js'
import type { Report } from '../src/report/types.js'
import { createOpensslPki, type OpensslPki } from './helpers/openssl-pki.js'
import { freePort, spawnServer, stopProcess, type ServerProcess } from './helpers/processes.js'

const DAY = 86_400_000
let pki: OpensslPki
const servers: ServerProcess[] = []
let stapling: ServerProcess
let plain: ServerProcess

async function sServer(...extra: string[]): Promise<ServerProcess> {
  const port = await freePort()
  const server = await spawnServer(
    'openssl',
    [
      's_server',
      '-accept',
      String(port),
      '-cert',
      'leaf-good.crt',
      '-key',
      'leaf-good.key',
      '-cert_chain',
      'intermediate.crt',
      '-www',
      ...extra,
    ],
    { cwd: pki.dir, port },
  )
  servers.push(server)
  return server
}

/** check() on one endpoint, the test root trusted; revocation of the served chain itself is not the subject here. */
function checkEndpoint(port: number, settings: RawSettings = {}): Promise<Report> {
  const options = resolveOptions(
    {
      revocation: 'off',
      profile: 'private-tls',
      trust: pki.path('root.crt'),
      endpoint: `127.0.0.1:${port}`,
      ...settings,
    },
    { inputs: [], cwd: pki.dir },
  )
  return check(options)
}

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  // A staple made offline from the CA's index (STACK-NOTES §8), valid for one day.
  pki.openssl([
    'ocsp',
    '-issuer',
    'intermediate.crt',
    '-cert',
    'leaf-good.crt',
    '-reqout',
    'req.der',
    '-no_nonce',
  ])
  pki.openssl([
    'ocsp',
    '-index',
    'index.txt',
    '-rsigner',
    'ocsp.crt',
    '-rkey',
    'ocsp.key',
    '-CA',
    'intermediate.crt',
    '-reqin',
    'req.der',
    '-respout',
    'staple.der',
    '-ndays',
    '1',
  ])
  stapling = await sServer('-status_file', 'staple.der')
  plain = await sServer()
})

afterAll(async () => {
  for (const server of servers) await stopProcess(server)
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

describe('openssl s_server', () => {
  test('a good staple on the served leaf passes, and the served chain is reported as a file', async () => {
    const report = await checkEndpoint(stapling.port)
    const label = `127.0.0.1:${stapling.port}`
    expect(report.endpoints).toHaveLength(1)
    const [endpoint] = report.endpoints
    expect(endpoint).toMatchObject({ host: '127.0.0.1', port: stapling.port, stapled: true, failed: false })
    expect(endpoint.revocation).toMatchObject({ source: 'staple', status: 'good' })
    expect(endpoint.findings).toEqual([])
    expect(report.files.map((f) => f.file)).toEqual([label])
    expect(report.certificates.map((c) => [c.file, c.index, c.role, c.serial])).toEqual([
      [label, 0, 'leaf', pki.leaves['leaf-good'].serial],
      [label, 1, 'intermediate', pki.intermediate.serial],
    ])
    expect(report.result).toBe('pass')
  })

  test('a Must-Staple leaf served without a staple is a staple-missing error and fails', async () => {
    expect(pki.leaves['leaf-good'].mustStaple).toBe(true)
    const report = await checkEndpoint(plain.port)
    const [endpoint] = report.endpoints
    expect(endpoint).toMatchObject({ stapled: false, failed: true })
    expect(endpoint.revocation).toBeUndefined()
    expect(endpoint.findings).toEqual([
      expect.objectContaining({
        rule: 'staple-missing',
        severity: 'error',
        message: expect.stringMatching(/Must-Staple/),
      }),
    ])
    expect(report.result).toBe('fail')
    expect(report.summary.reasons).toContain('staple-missing')
  })

  test('the staple judged three days on is stale: staple-stale error', async () => {
    const now = new Date(Date.now() + 3 * DAY).toISOString()
    const report = await checkEndpoint(stapling.port, { now })
    const [endpoint] = report.endpoints
    expect(endpoint.stapled).toBe(true)
    expect(endpoint.revocation).toMatchObject({ source: 'staple', status: 'stale' })
    expect(endpoint.findings.map((f) => [f.rule, f.severity])).toEqual([['staple-stale', 'error']])
    expect(endpoint.failed).toBe(true)
    expect(report.result).toBe('fail')
  })

  test('a port nobody listens on is endpoint-unreachable, never an exception', async () => {
    const port = await freePort()
    const report = await checkEndpoint(port)
    const [endpoint] = report.endpoints
    expect(endpoint).toMatchObject({ host: '127.0.0.1', port, stapled: false, failed: true })
    expect(endpoint.findings).toEqual([
      expect.objectContaining({
        rule: 'endpoint-unreachable',
        severity: 'error',
        message: expect.stringMatching(/ECONNREFUSED/),
      }),
    ])
    expect(report.files).toEqual([])
    expect(report.result).toBe('fail')
  })
})
