// `--endpoint HOST:PORT=FILE` and config `endpoints: [{host, serves}]`: the
// endpoint must serve FILE's leaf and chain, else endpoint-drift naming both
// SHA-256 fingerprints. The peer is `openssl s_server` on 127.0.0.1 serving
// the "current" leaf, while the files hold it, another leaf, or it with a
// chain the server does not send.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { loadConfig } from '../../src/config.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { Report } from '../../src/report/types.js'
import { ruleIds } from '../../src/rules/registry.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'
import { freePort, spawnServer, stopProcess, type ServerProcess } from '../helpers/processes.js'

const certs = new OpensslCerts()
let server: ServerProcess
let endpoint: string

const leafExtensions = `${EXTENSIONS.leaf('drift.test').replace(/subjectAltName = .*/, 'subjectAltName = DNS:drift.test, IP:127.0.0.1')}\ncrlDistributionPoints = URI:http://crl.drift.test/root.crl`

beforeAll(async () => {
  certs.make('root', { subject: '/CN=Drift Test Root', extensions: EXTENSIONS.root })
  certs.make('intermediate', {
    subject: '/CN=Drift Test Intermediate',
    issuer: 'root',
    extensions: EXTENSIONS.intermediate,
  })
  certs.make('current', { subject: '/CN=drift.test', issuer: 'root', extensions: leafExtensions })
  certs.make('previous', { subject: '/CN=drift.test', issuer: 'root', extensions: leafExtensions })
  certs.bundle('current-with-intermediate.pem', ['current', 'intermediate'])
  const port = await freePort()
  endpoint = `127.0.0.1:${port}`
  server = await spawnServer(
    'openssl',
    ['s_server', '-accept', endpoint, '-cert', 'current.crt', '-key', 'current.key', '-www'],
    { cwd: certs.dir, port },
  )
})

afterAll(async () => {
  if (server) await stopProcess(server)
  certs.remove()
})

async function checkEndpoint(settings: RawSettings, config?: string): Promise<Report> {
  if (config !== undefined) writeFileSync(join(certs.dir, 'drift.yml'), config)
  const options = resolveOptions(
    { revocation: 'off', profile: 'private-tls', trust: 'root.crt', ...settings },
    {
      inputs: [],
      cwd: certs.dir,
      ...(config !== undefined ? { config: loadConfig(certs.dir, 'drift.yml', ruleIds) } : {}),
    },
  )
  return check(options)
}

const driftOf = (report: Report) =>
  report.endpoints.flatMap((e) => e.findings.filter((f) => f.rule === 'endpoint-drift'))

const sha256 = (name: string) => certs.cert(name).sha256

test('the endpoint serves the file it was named with: no drift, the gate passes', async () => {
  const report = await checkEndpoint({ endpoint: `${endpoint}=current.crt` })
  expect(driftOf(report)).toEqual([])
  expect(report.result).toBe('pass')
})

test('another leaf is endpoint-drift naming both fingerprints, and the gate fails', async () => {
  const report = await checkEndpoint({ endpoint: `${endpoint}=previous.crt` })
  expect(driftOf(report)).toEqual([
    {
      rule: 'endpoint-drift',
      severity: 'error',
      message: `${endpoint} serves the leaf CN=drift.test (SHA-256 ${sha256('current')}), not the one previous.crt holds, CN=drift.test (SHA-256 ${sha256('previous')}): the deployment has drifted from the repository`,
    },
  ])
  expect(report.result).toBe('fail')
})

test("the same leaf with another chain is drift too, and the served chain's errors are named", async () => {
  // Without the root as trust anchor the served chain cannot be completed: that is named in the message.
  const report = await checkEndpoint({ endpoint: `${endpoint}=current-with-intermediate.pem`, trust: [] })
  const [drift] = driftOf(report)
  expect(drift.message).toBe(
    `${endpoint} serves the leaf current-with-intermediate.pem holds (SHA-256 ${sha256('current')}) with another chain: it sends no intermediate; current-with-intermediate.pem holds CN=Drift Test Intermediate (SHA-256 ${sha256('intermediate')})` +
      drift.message.slice(drift.message.indexOf('; the served chain has: ')),
  )
  expect(drift.message).toMatch(/; the served chain has: [a-z-]+(, [a-z-]+)*$/)
})

test('config endpoints: [{host, serves}] is the same check (repository content: private addresses need allowing)', async () => {
  const config = `endpoints:\n  - host: "${endpoint}"\n    serves: previous.crt\n`
  const report = await checkEndpoint({ 'allow-private-network': true }, config)
  expect(driftOf(report).map((f) => f.message)).toEqual([expect.stringContaining(sha256('previous'))])
  await expect(checkEndpoint({}, 'endpoints:\n  - hosts: x.test\n')).rejects.toThrow(
    /drift\.yml: endpoints\[0\]: unknown key "hosts"; did you mean host\? \(host, serves\)/,
  )
  await expect(checkEndpoint({ endpoint: `${endpoint}=absent.pem` })).rejects.toThrow(
    /--endpoint: =absent\.pem is no such file/,
  )
})
