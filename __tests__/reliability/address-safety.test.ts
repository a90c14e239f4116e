// No request leaves for a link-local or metadata address, nor — without
// --allow-private-network — for a loopback or private one (issue 6, part 4):
// URLs in certificates are a stranger's input (SSRF). Checked by recording
// every TCP connection attempt the process makes while check() runs, and at
// the transport with an injected resolver whose answers change between
// lookups (DNS rebinding): the connection goes to the address the policy
// approved, never to a second answer.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import { rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { HttpError, httpGet, type HttpOptions, type ResolvedAddress } from '../../src/net/http.js'
import { tempDir, type Issued } from '../helpers/pki.js'
import { startFaultServer, type FaultServer } from './fault-server.js'
import { createTestCa, entryOf, leaf, recordConnections, runCheck, type TestCa } from './fixtures.js'

let ca: TestCa
let faults: FaultServer
const dirs: string[] = []
let server: http.Server
let port: number
/** Host headers the local HTTP server saw: which name each connection that arrived was for. */
const arrivals: string[] = []

/** Addresses a certificate may name that the gate must never contact, whatever the options. */
const NEVER = [
  'http://169.254.169.254/latest/meta-data/',
  'http://[fd00:ec2::254]/latest/meta-data/',
  'http://metadata.google.internal/computeMetadata/v1/',
  'http://metadata.google.internal./computeMetadata/v1/',
  'http://169.254.10.1/ocsp',
  'http://[fe80::1]/ocsp',
  // The same metadata address spelled as an integer, in hex and IPv4-mapped IPv6.
  'http://2852039166/',
  'http://0xa9fea9fe/',
  'http://[::ffff:169.254.169.254]/',
]
const LINK_LOCAL_OR_METADATA = /^(169\.254\.|fe[89ab][0-9a-f]:|fd00:ec2::254$|::ffff:169\.254\.)/i

beforeAll(async () => {
  ca = await createTestCa()
  faults = await startFaultServer()
  server = http.createServer((req, res) => {
    arrivals.push(req.headers.host ?? '')
    res.end('answered')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
})

afterAll(async () => {
  await faults.close()
  await ca.responder.close()
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  for (const dir of [...dirs, ca.trustDir]) rmSync(dir, { recursive: true, force: true })
})

/** A fresh directory with the intermediate and one leaf per URL (its only OCSP URL). */
async function writeLeaves(urls: string[]): Promise<{ dir: string; leaves: Issued[] }> {
  const dir = tempDir('certgate-ssrf-')
  dirs.push(dir)
  writeFileSync(join(dir, 'intermediate.pem'), ca.intermediate.pem)
  const leaves: Issued[] = []
  for (const [index, url] of urls.entries()) {
    const cert = await leaf(ca, `ssrf-${index}.reliability.test`, { ocsp: [url] })
    writeFileSync(join(dir, `ssrf-${index}.pem`), cert.pem)
    leaves.push(cert)
  }
  return { dir, leaves }
}

describe('check() with URLs a certificate must not make the gate fetch', () => {
  test('without allow-private-network: no connection at all, each leaf unreachable naming the refusal', async () => {
    const local = [
      ca.responder.url('good'),
      `http://[::1]:${port}/`,
      `http://0.0.0.0:${port}/`,
      'http://10.0.0.1/',
      'http://192.168.1.1/',
      'http://100.64.0.1/',
    ]
    const { dir, leaves } = await writeLeaves([...NEVER, ...local])
    const connections = recordConnections()
    let report
    try {
      ;({ report } = await runCheck(ca, dir, ['.'], { 'allow-private-network': false }))
    } finally {
      connections.stop()
    }
    expect(connections.addresses).toEqual([])
    for (const cert of leaves) {
      const revocation = entryOf(report, cert).revocation
      expect(revocation.status).toBe('unreachable')
      expect(revocation.detail).toMatch(
        /^blocked-address: .*refused.*(cloud metadata|link-local|loopback or private address .*; pass --allow-private-network)/,
      )
    }
  })

  test('with allow-private-network: loopback is reached, link-local and metadata still never, redirects included', async () => {
    const reachable = ca.responder.url('good')
    const redirected = [faults.url('redirect-link-local'), faults.url('redirect-metadata')]
    const {
      dir,
      leaves: [good, ...leaves],
    } = await writeLeaves([reachable, ...redirected, ...NEVER])
    const connections = recordConnections()
    let report
    try {
      ;({ report } = await runCheck(ca, dir, ['.']))
    } finally {
      connections.stop()
    }
    // The positive control: the recorder sees the connections that are allowed.
    expect(connections.addresses).toContain('127.0.0.1')
    expect(connections.addresses.filter((a) => LINK_LOCAL_OR_METADATA.test(a))).toEqual([])
    expect(entryOf(report, good).revocation.status).toBe('good')
    for (const cert of leaves) {
      expect(entryOf(report, cert).revocation).toMatchObject({
        status: 'unreachable',
        detail: expect.stringMatching(/^blocked-address: .*(cloud metadata|link-local)/),
      })
    }
  })
})

describe('DNS answers that change between lookups', () => {
  /** A resolver answering each lookup of a name with the next of `answers` (the last one repeats). */
  function changingResolver(...answers: string[][]) {
    const lookups: string[] = []
    const resolve = async (hostname: string): Promise<ResolvedAddress[]> => {
      const answer = answers[Math.min(lookups.length, answers.length - 1)]
      lookups.push(hostname)
      return answer.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
    }
    return { resolve, lookups }
  }

  const options = (overrides: Partial<HttpOptions>): HttpOptions => ({
    timeoutMs: 1000,
    retries: 0,
    maxBytes: 64 * 1024,
    policy: 'untrusted',
    allowPrivateNetwork: true,
    ...overrides,
  })

  async function fetchRecorded(url: string, httpOptions: HttpOptions) {
    const connections = recordConnections()
    const arrived = arrivals.length
    try {
      const outcome: { body?: string; error?: HttpError } = await httpGet(url, httpOptions).then(
        (response) => ({ body: Buffer.from(response.body).toString() }),
        (error: unknown) => ({ error: error as HttpError }),
      )
      return { ...outcome, connections: connections.addresses, arrivals: arrivals.slice(arrived) }
    } finally {
      connections.stop()
    }
  }

  test('the approved answer is pinned: a second lookup that would say 169.254.169.254 is never made', async () => {
    const resolver = changingResolver(['127.0.0.1'], ['169.254.169.254'])
    const result = await fetchRecorded(`http://rebind.test:${port}/`, options({ resolve: resolver.resolve }))
    expect(result).toMatchObject({ body: 'answered', arrivals: [`rebind.test:${port}`] })
    expect(resolver.lookups).toEqual(['rebind.test'])
    expect(result.connections).toEqual(['127.0.0.1'])
  })

  test('a name that first answers a metadata address is refused before any connection', async () => {
    const resolver = changingResolver(['169.254.169.254'], ['127.0.0.1'])
    const result = await fetchRecorded(
      `http://rebind.test:${port}/`,
      options({ resolve: resolver.resolve, retries: 2 }),
    )
    expect(result.error).toBeInstanceOf(HttpError)
    expect(result.error?.kind).toBe('blocked-address')
    expect(result.connections).toEqual([])
    expect(result.arrivals).toEqual([])
  })

  test('each retry looks the name up again and judges the new answer before connecting', async () => {
    // First attempt: an approved address where the server resets; the retry's answer is link-local.
    const faultPort = Number(new URL(faults.url('reset-before-headers')).port)
    const resolver = changingResolver(['127.0.0.1'], ['169.254.169.254'])
    const result = await fetchRecorded(
      `http://rebind.test:${faultPort}/reset-before-headers/`,
      options({ resolve: resolver.resolve, retries: 1 }),
    )
    expect(resolver.lookups).toEqual(['rebind.test', 'rebind.test'])
    expect(result.error?.kind).toBe('blocked-address')
    expect(result.error?.message).toMatch(/169\.254\.169\.254 is a cloud metadata address/)
    expect(result.connections).toEqual(['127.0.0.1'])
  })

  test('of several answers, only an allowed one is connected to', async () => {
    const resolver = changingResolver(['169.254.169.254', 'fe80::1', '127.0.0.1'])
    const result = await fetchRecorded(`http://multi.test:${port}/`, options({ resolve: resolver.resolve }))
    expect(result).toMatchObject({ body: 'answered', connections: ['127.0.0.1'] })
  })

  test('without allow-private-network a private answer is refused, even behind a public-looking name', async () => {
    const resolver = changingResolver(['10.1.2.3', '127.0.0.1'])
    const result = await fetchRecorded(
      `http://ocsp.example.com:${port}/`,
      options({ resolve: resolver.resolve, allowPrivateNetwork: false }),
    )
    expect(result.error?.message).toMatch(
      /10\.1\.2\.3 is a loopback or private address.*; 127\.0\.0\.1 is a loopback or private address/,
    )
    expect(result.connections).toEqual([])
  })

  test('metadata host names are refused without asking the resolver', async () => {
    const resolver = changingResolver(['127.0.0.1'])
    const result = await fetchRecorded(
      'http://Metadata.Google.Internal./computeMetadata/v1/',
      options({ resolve: resolver.resolve }),
    )
    expect(result.error?.kind).toBe('blocked-address')
    expect(resolver.lookups).toEqual([])
    expect(result.connections).toEqual([])
  })

  test('a redirect from a URL the user named to a private address is refused without allow-private-network', async () => {
    const result = await fetchRecorded(
      faults.url('redirect-private'),
      options({ policy: 'user', allowPrivateNetwork: false }),
    )
    expect(result.error?.message).toMatch(/10\.0\.0\.1 is a loopback or private address/)
    expect(result.connections).toEqual(['127.0.0.1'])
  })
})
