// The served leaf must be for the host the endpoint names (RFC 9525), and
// --resolve HOST:PORT:ADDRESS connects to ADDRESS while sending HOST as SNI
// and checking the leaf against HOST. The peer is `openssl s_server` on
// 127.0.0.1 serving one certificate by default and another for the SNI name
// good.example (-servername/-cert2), so what arrives shows what was sent.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { loadConfig } from '../../src/config.js'
import { ruleIds } from '../../src/rules/registry.js'
import { resolveOptions, UsageError, type RawSettings } from '../../src/options.js'
import type { Report } from '../../src/report/types.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'
import { freePort, spawnServer, stopProcess, type ServerProcess } from '../helpers/processes.js'

let certs: OpensslCerts
let server: ServerProcess

beforeAll(async () => {
  certs = new OpensslCerts()
  certs.make('root', { subject: '/CN=Endpoint Names Root', extensions: EXTENSIONS.root })
  certs.make('good', {
    subject: '/CN=good.example',
    issuer: 'root',
    extensions: EXTENSIONS.leaf('good.example'),
  })
  certs.make('default', {
    subject: '/CN=default.example',
    issuer: 'root',
    extensions: EXTENSIONS.leaf('default.example'),
  })
  const port = await freePort()
  server = await spawnServer(
    'openssl',
    [
      's_server',
      '-accept',
      `127.0.0.1:${port}`,
      '-cert',
      'default.crt',
      '-key',
      'default.key',
      '-servername',
      'good.example',
      '-cert2',
      'good.crt',
      '-key2',
      'good.key',
      '-www',
    ],
    { cwd: certs.dir, port },
  )
})

afterAll(async () => {
  if (server) await stopProcess(server)
  certs?.remove()
})

function checkEndpoint(endpoint: string, settings: RawSettings = {}): Promise<Report> {
  const options = resolveOptions(
    { revocation: 'off', profile: 'private-tls', trust: certs.path('root'), endpoint, ...settings },
    { inputs: [], cwd: certs.dir },
  )
  return check(options)
}

const nameFindings = (report: Report) =>
  report.endpoints.flatMap((e) => e.findings.filter((f) => f.rule === 'endpoint-name-mismatch'))

describe('endpoint-name-mismatch', () => {
  test('an IP address the served leaf does not name fails the gate, naming what the leaf covers', async () => {
    const report = await checkEndpoint(`127.0.0.1:${server.port}`)
    expect(nameFindings(report)).toEqual([
      {
        rule: 'endpoint-name-mismatch',
        severity: 'error',
        message: `the served leaf CN=default.example names only default.example, not 127.0.0.1: clients connecting to 127.0.0.1 reject it (RFC 9525 §6)`,
      },
    ])
    expect(report.endpoints[0].failed).toBe(true)
    expect(report.result).toBe('fail')
  })

  test('with --resolve the host is sent as SNI and the leaf served for it passes', async () => {
    const report = await checkEndpoint(`good.example:${server.port}`, {
      resolve: `good.example:${server.port}:127.0.0.1`,
    })
    expect(report.endpoints).toEqual([
      expect.objectContaining({ host: 'good.example', address: '127.0.0.1', findings: expect.any(Array) }),
    ])
    expect(nameFindings(report)).toEqual([])
    expect(report.certificates[0].subject).toBe('CN=good.example')
  })

  test('with --resolve a host the server has no certificate for gets the default leaf, which does not match', async () => {
    const report = await checkEndpoint(`other.example:${server.port}`, {
      resolve: `other.example:${server.port}:127.0.0.1`,
    })
    expect(report.certificates[0].subject).toBe('CN=default.example')
    expect(nameFindings(report).map((f) => f.message)).toEqual([
      expect.stringContaining('names only default.example, not other.example'),
    ])
  })
})

test("a --resolve address from a config file obeys the address policy; one named on the command line is the user's choice", async () => {
  writeFileSync(join(certs.dir, 'resolve.yml'), `resolve: ['good.example:${server.port}:127.0.0.1']\n`)
  const config = loadConfig(certs.dir, 'resolve.yml', ruleIds)
  const base = {
    revocation: 'off',
    profile: 'private-tls',
    trust: certs.path('root'),
    endpoint: `good.example:${server.port}`,
  }
  const fromConfig = await check(resolveOptions(base, { inputs: [], cwd: certs.dir, config }))
  expect(fromConfig.endpoints[0].findings).toEqual([
    expect.objectContaining({
      rule: 'endpoint-unreachable',
      message: expect.stringMatching(
        /refused by the address policy, 127\.0\.0\.1 is a loopback or private address/,
      ),
    }),
  ])
  const named = await checkEndpoint(`good.example:${server.port}`, {
    resolve: `good.example:${server.port}:127.0.0.1`,
  })
  expect(named.endpoints[0]).toMatchObject({ address: '127.0.0.1', failed: false })
})

describe('--resolve usage', () => {
  test.each([
    ['not curl syntax', 'good.example:127.0.0.1', /is not HOST:PORT:ADDRESS/],
    ['a host name for the address', 'good.example:443:localhost', /is not HOST:PORT:ADDRESS/],
    ['an endpoint nobody asked for', 'typo.example:443:127.0.0.1', /names no --endpoint typo\.example:443/],
  ])('%s is a usage error', async (_, resolve, message) => {
    const run = checkEndpoint('good.example:443', { resolve })
    await expect(run).rejects.toThrow(UsageError)
    await expect(run).rejects.toThrow(message)
  })
})
