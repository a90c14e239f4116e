// `--endpoint` through check(): real servers on 127.0.0.1 staple (or do not
// staple) responses made by `openssl ocsp` from the CA's own index, and the
// report judges the staple and lints the served chain like a file.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../src/check.js'
import { loadConfig } from '../src/config.js'
import { ruleIds } from '../src/rules/registry.js'
import { resolveOptions, type RawSettings } from '../src/options.js'
import { renderText } from '../src/report/text.js'
import type { Report } from '../src/report/types.js'
import { probeEndpoint } from '../src/endpoints/probe.js'
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
      `127.0.0.1:${port}`,
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
  pki.staple('leaf-good', 'staple.der', ['-ndays', 1])
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
    expect(renderText(report, { color: false })).toMatch(
      new RegExp(`\\n  ${label}  staple revocation good, via staple, next update in \\d+h`),
    )
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
    expect(renderText(report, { color: false })).toContain(
      `127.0.0.1:${plain.port}  (endpoint, staple absent)\n  127.0.0.1:${plain.port}  error   staple-missing  no stapled OCSP response`,
    )
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

  test("an endpoint named in a config file obeys the address policy; on the command line it is the user's choice", async () => {
    writeFileSync(join(pki.dir, 'endpoints.yml'), `endpoint: ['127.0.0.1:${stapling.port}']\n`)
    const config = loadConfig(pki.dir, 'endpoints.yml', ruleIds)
    const base = { revocation: 'off', profile: 'private-tls', trust: pki.path('root.crt') }
    const fromConfig = await check(resolveOptions(base, { inputs: [], cwd: pki.dir, config }))
    expect(fromConfig.result).toBe('fail')
    expect(fromConfig.endpoints[0].findings).toEqual([
      expect.objectContaining({
        rule: 'endpoint-unreachable',
        message: expect.stringMatching(
          /refused by the address policy, 127\.0\.0\.1 is a loopback or private address/,
        ),
      }),
    ])
    const allowed = await check(
      resolveOptions({ ...base, 'allow-private-network': true }, { inputs: [], cwd: pki.dir, config }),
    )
    expect(allowed.endpoints[0]).toMatchObject({ stapled: true, failed: false })
    const named = await check(
      resolveOptions(
        { ...base, endpoint: `127.0.0.1:${stapling.port}` },
        { inputs: [], cwd: pki.dir, config },
      ),
    )
    expect(named.endpoints[0]).toMatchObject({ stapled: true, failed: false })
    const metadata = await check(
      resolveOptions({ ...base, endpoint: '169.254.169.254:80' }, { inputs: [], cwd: pki.dir }),
    )
    expect(metadata.endpoints[0].findings[0].message).toMatch(
      /refused.*169\.254\.169\.254 is a cloud metadata address/,
    )
  })
})

// The seeds' configuration: nginx with `ssl_stapling on` fetching the staple
// from a local `openssl ocsp` responder (delegated signer), verified against
// the CA chain. nginx fetches lazily, so the first handshakes may carry none.
describe('nginx ssl_stapling', () => {
  let nginx: ServerProcess
  let staplingPort: number
  let offPort: number

  beforeAll(async () => {
    servers.push(await pki.startResponder('delegated'))
    staplingPort = await freePort()
    offPort = await freePort()
    const dir = pki.dir
    writeFileSync(
      join(dir, 'served.pem'),
      readFileSync(pki.path('leaf-good.crt'), 'utf8') + readFileSync(pki.path('intermediate.crt'), 'utf8'),
    )
    const server = (port: number, stapling: string) => `
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${dir}/served.pem;
    ssl_certificate_key ${dir}/leaf-good.key;
    ${stapling}
    return 200 "ok\\n";
  }`
    writeFileSync(
      join(dir, 'nginx.conf'),
      `master_process off;
error_log ${dir}/nginx-error.log info;
events {}
http {
  access_log off;
  # Every temp path in the test's folder: nginx run by a user other than root cannot create the packaged ones.
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
${server(staplingPort, `ssl_stapling on; ssl_stapling_verify on; ssl_trusted_certificate ${dir}/chain.pem; ssl_stapling_responder http://127.0.0.1:${pki.port}/;`)}
${server(offPort, 'ssl_stapling off;')}
}
`,
    )
    nginx = await spawnServer(
      'nginx',
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', `daemon off; pid ${dir}/nginx.pid;`],
      { cwd: dir, port: staplingPort },
    )
    servers.push(nginx)
  })

  /** nginx's error log says why a staple was not fetched. */
  const readLog = (): string => {
    try {
      return readFileSync(join(pki.dir, 'nginx-error.log'), 'utf8')
    } catch {
      return nginx?.output() ?? ''
    }
  }

  /** Handshakes until nginx has fetched its staple (bounded: 40 tries, 250 ms apart). */
  async function untilStapled(port: number): Promise<boolean> {
    for (let attempt = 0; attempt < 40; attempt++) {
      if (
        (
          await probeEndpoint('127.0.0.1', port, {
            timeoutMs: 5000,
            addresses: { policy: 'user', allowPrivateNetwork: false },
          })
        ).stapled
      )
        return true
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    return false
  }

  test('the staple nginx fetched from the openssl responder is judged good and the gate passes', async () => {
    const stapled = await untilStapled(staplingPort)
    if (!stapled) throw new Error(`nginx never stapled: ${readLog()}`)
    const report = await checkEndpoint(staplingPort)
    const [endpoint] = report.endpoints
    expect(endpoint).toMatchObject({ port: staplingPort, stapled: true, failed: false })
    expect(endpoint.revocation).toMatchObject({ source: 'staple', status: 'good' })
    expect(endpoint.findings).toEqual([])
    expect(report.certificates.map((c) => c.serial)).toEqual([
      pki.leaves['leaf-good'].serial,
      pki.intermediate.serial,
    ])
    expect(report.result).toBe('pass')
  })

  test('the same Must-Staple leaf with ssl_stapling off is a staple-missing error', async () => {
    const report = await checkEndpoint(offPort)
    const [endpoint] = report.endpoints
    expect(endpoint).toMatchObject({ port: offPort, stapled: false, failed: true })
    expect(endpoint.findings.map((f) => [f.rule, f.severity])).toEqual([['staple-missing', 'error']])
    expect(report.result).toBe('fail')
  })
})
