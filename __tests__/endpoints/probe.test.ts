// Live endpoint probing against `openssl s_server` on 127.0.0.1: with
// -status_file it staples exactly the bytes of that file, without -status it
// staples nothing; the chain is captured as served.
import { readFileSync, rmSync } from 'node:fs'
import * as x509 from '../../src/model/x509.js'
import { probeEndpoint } from '../../src/endpoints/probe.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { freePort, spawnServer, stopProcess, type ServerProcess } from '../helpers/processes.js'
import { recordConnections } from '../reliability/fixtures.js'

const USER = { policy: 'user', allowPrivateNetwork: false } as const

let pki: OpensslPki
const servers: ServerProcess[] = []
let stapling: ServerProcess
let plain: ServerProcess
let staple: Uint8Array

const derOf = (file: string) =>
  new Uint8Array(x509.PemConverter.decode(readFileSync(pki.path(file), 'utf8'))[0])

async function sServer(...extra: string[]): Promise<ServerProcess> {
  const port = await freePort()
  const args = ['s_server', '-accept', `127.0.0.1:${port}`, '-cert', 'leaf-good.crt', '-key', 'leaf-good.key']
  const server = await spawnServer(
    'openssl',
    [...args, '-cert_chain', 'intermediate.crt', '-www', ...extra],
    {
      cwd: pki.dir,
      port,
    },
  )
  servers.push(server)
  return server
}

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  // An offline response from the CA's own index (STACK-NOTES §8): no responder needed.
  pki.staple('leaf-good', 'staple.der', ['-nmin', 5])
  staple = new Uint8Array(readFileSync(pki.path('staple.der')))
  stapling = await sServer('-status_file', 'staple.der')
  plain = await sServer()
})

afterAll(async () => {
  for (const server of servers) await stopProcess(server)
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

describe('probeEndpoint', () => {
  test('an s_server with -status_file staples exactly that response and serves leaf then intermediate', async () => {
    const probe = await probeEndpoint('127.0.0.1', stapling.port, { timeoutMs: 5000, addresses: USER })
    expect(probe.error).toBeUndefined()
    expect(probe.stapled).toBe(true)
    expect(Buffer.from(probe.staple!)).toEqual(Buffer.from(staple))
    expect(probe.chain.map((der) => Buffer.from(der))).toEqual([
      Buffer.from(derOf('leaf-good.crt')),
      Buffer.from(derOf('intermediate.crt')),
    ])
  })

  test('an s_server without -status staples nothing, and the chain is still captured', async () => {
    const probe = await probeEndpoint('localhost', plain.port, { timeoutMs: 5000, addresses: USER })
    expect(probe.error).toBeUndefined()
    expect(probe.stapled).toBe(false)
    expect(probe.staple).toBeUndefined()
    expect(probe.chain).toHaveLength(2)
    expect(Buffer.from(probe.chain[0])).toEqual(Buffer.from(derOf('leaf-good.crt')))
  })

  test('a port nobody listens on comes back as an error, not an exception', async () => {
    const port = await freePort()
    const probe = await probeEndpoint('127.0.0.1', port, { timeoutMs: 5000, addresses: USER })
    expect(probe).toMatchObject({ stapled: false, chain: [] })
    expect(probe.error).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`))
  })
})

describe('probeEndpoint under the address policy', () => {
  /** A probe with every TCP connection attempt recorded. */
  async function probeRecorded(
    host: string,
    port: number,
    addresses: Parameters<typeof probeEndpoint>[2]['addresses'],
  ) {
    const connections = recordConnections()
    try {
      const probe = await probeEndpoint(host, port, { timeoutMs: 5000, addresses })
      return { probe, connections: connections.addresses }
    } finally {
      connections.stop()
    }
  }

  test('an untrusted endpoint on loopback is refused before connecting, reached with allow-private-network', async () => {
    const refused = await probeRecorded('127.0.0.1', stapling.port, {
      policy: 'untrusted',
      allowPrivateNetwork: false,
    })
    expect(refused.probe.error).toMatch(
      /^127\.0\.0\.1:\d+: refused by the address policy, 127\.0\.0\.1 is a loopback or private address/,
    )
    expect(refused.connections).toEqual([])
    const allowed = await probeRecorded('127.0.0.1', stapling.port, {
      policy: 'untrusted',
      allowPrivateNetwork: true,
    })
    expect(allowed.probe.stapled).toBe(true)
    expect(allowed.connections).toEqual(['127.0.0.1'])
  })

  test.each([
    ['169.254.169.254', 'metadata'],
    ['fe80::1', 'link-local'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['metadata.google.internal', 'metadata host name'],
  ])('%s is refused even when the user names it', async (host, why) => {
    const { probe, connections } = await probeRecorded(host, 443, USER)
    expect(probe.error).toMatch(new RegExp(`refused.*${why}`))
    expect(connections).toEqual([])
  })

  test('a name the resolver maps to a metadata address is refused; the approved address is the one connected to', async () => {
    const answers: Record<string, string[]> = { 'imds.test': ['169.254.169.254'], 'site.test': ['127.0.0.1'] }
    const resolve = async (name: string) => answers[name].map((address) => ({ address, family: 4 }))
    const refused = await probeRecorded('imds.test', 443, { ...USER, resolve })
    expect(refused.probe.error).toMatch(
      /^imds\.test:443: refused by the address policy, 169\.254\.169\.254 is a cloud metadata/,
    )
    expect(refused.connections).toEqual([])
    const reached = await probeRecorded('site.test', plain.port, { ...USER, resolve })
    expect(reached.probe.error).toBeUndefined()
    expect(reached.probe.chain).toHaveLength(2)
    expect(reached.connections).toEqual(['127.0.0.1'])
  })
})
