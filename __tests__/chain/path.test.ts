import { execFileSync } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rmSync } from 'node:fs'
import { hostnameMatches } from '../../src/chain/hostname.js'
import * as x509 from '../../src/model/x509.js'
import { ext, issue, tempDir, webPki, writePem, type Issued } from '../helpers/pki.js'
import { pathOf, permitDns } from './fixtures.js'

const DAY = 86_400_000
const subjects = (path: { path: { subject: string }[] }) => path.path.map((c) => c.subject)

test('a leaf, its intermediate in the pool and a trusted root make a valid path', async () => {
  const { root, intermediate, leaf } = await webPki()
  const result = await pathOf(leaf, { pool: [leaf, intermediate], trust: [root] })
  expect(result).toMatchObject({ status: 'valid', anchorSource: 'trust', problems: [] })
  expect(subjects(result)).toEqual(['CN=leaf.test', 'CN=certgate Test Intermediate', 'CN=certgate Test Root'])
})

test('a missing intermediate makes the path incomplete and names it with its AKI', async () => {
  const { root, leaf } = await webPki()
  const result = await pathOf(leaf, { pool: [leaf], trust: [root] })
  expect(result.status).toBe('incomplete')
  expect(result.problems).toEqual([
    expect.objectContaining({
      rule: 'chain-incomplete',
      message: expect.stringMatching(
        /^no issuer found for CN=leaf\.test \(AKI [0-9a-f]{2}(:[0-9a-f]{2})+\): .*is not among the trust anchors or the scanned certificates; add the intermediate to the file or pass --issuer$/,
      ),
    }),
  ])
})

test('a path ending at an untrusted self-signed root is incomplete and says how to trust it', async () => {
  const { root, intermediate, leaf } = await webPki()
  const result = await pathOf(leaf, { pool: [leaf, intermediate, root] })
  expect(result.status).toBe('incomplete')
  expect(result.problems[0].message).toContain(
    'self-signed CN=certgate Test Root, which is not a trusted root',
  )
})

test('an issuer of the right name but another key gives signature-invalid', async () => {
  const { root, intermediate, leaf } = await webPki()
  const impostor = await issue({
    cn: 'certgate Test Intermediate',
    issuer: root,
    extensions: [ext.ca(0)],
    noKeyIds: true,
  })
  const result = await pathOf(leaf, { pool: [impostor], trust: [root] })
  expect(result.status).toBe('invalid')
  expect(result.problems.map((p) => p.rule)).toEqual(['signature-invalid'])
  // With the real intermediate also present, the impostor is skipped.
  expect((await pathOf(leaf, { pool: [impostor, intermediate], trust: [root] })).status).toBe('valid')
})

test('an issuer with cA FALSE, an exceeded pathLen and an expired intermediate are each invalid', async () => {
  const root = await issue({ cn: 'Root', extensions: [ext.ca(), ext.caKeyUsage()] })
  const notCa = await issue({ cn: 'Not a CA', issuer: root, extensions: [ext.notCa()] })
  const underNotCa = await issue({ cn: 'a.test', issuer: notCa, extensions: [ext.serverAuth()] })
  expect((await pathOf(underNotCa, { pool: [notCa], trust: [root] })).problems).toEqual([
    expect.objectContaining({
      rule: 'basic-constraints-issuer-not-ca',
      message: expect.stringContaining('cA=FALSE'),
    }),
  ])

  const pathLenZero = await issue({
    cn: 'Inter pathlen 0',
    issuer: root,
    extensions: [ext.ca(0), ext.caKeyUsage()],
  })
  const second = await issue({
    cn: 'Second inter',
    issuer: pathLenZero,
    extensions: [ext.ca(), ext.caKeyUsage()],
  })
  const deep = await issue({ cn: 'b.test', issuer: second, extensions: [ext.notCa()] })
  expect((await pathOf(deep, { pool: [pathLenZero, second], trust: [root] })).problems).toEqual([
    expect.objectContaining({ rule: 'path-length-exceeded', message: expect.stringContaining('allows 0') }),
  ])

  const old = new Date(Date.now() - 400 * DAY)
  const expired = await issue({
    cn: 'Expired inter',
    issuer: root,
    notBefore: old,
    days: 30,
    extensions: [ext.ca()],
  })
  const underExpired = await issue({ cn: 'c.test', issuer: expired, notBefore: old, days: 3650 })
  const result = await pathOf(underExpired, { pool: [expired], trust: [root] })
  expect(result.status).toBe('invalid')
  expect(result.problems.map((p) => [p.rule, p.cert.subject])).toEqual([['expired', 'CN=Expired inter']])
})

test('a cross-signed intermediate: the path through the untrusted root is abandoned for the trusted one', async () => {
  // Both intermediates share the pooled RSA key, as a cross-sign does.
  const oldRoot = await issue({ cn: 'Old Root', extensions: [ext.ca(), ext.caKeyUsage()] })
  const newRoot = await issue({ cn: 'New Root', extensions: [ext.ca(), ext.caKeyUsage()] })
  const viaOld = await issue({ cn: 'Cross Inter', key: 'rsa2048', issuer: oldRoot, extensions: [ext.ca()] })
  const viaNew = await issue({ cn: 'Cross Inter', key: 'rsa2048', issuer: newRoot, extensions: [ext.ca()] })
  const leaf = await issue({ cn: 'cross.test', issuer: viaOld, extensions: [ext.notCa()] })
  const result = await pathOf(leaf, { pool: [viaOld, oldRoot, viaNew], trust: [newRoot] })
  expect(result.status).toBe('valid')
  expect(result.path.map((c) => c.sha256)).toEqual([leaf, viaNew, newRoot].map((c) => c.model.sha256))
})

test('name constraints of a CA bind the names of the leaf', async () => {
  const root = await issue({
    cn: 'Constrained Root',
    extensions: [ext.ca(), ext.caKeyUsage(), permitDns('example.com')],
  })
  const inside = await issue({
    cn: 'www.example.com',
    issuer: root,
    extensions: [ext.san('www.example.com')],
  })
  const outside = await issue({ cn: 'evil.test', issuer: root, extensions: [ext.san('evil.test')] })
  expect((await pathOf(inside, { trust: [root] })).status).toBe('valid')
  expect((await pathOf(outside, { trust: [root] })).problems).toEqual([
    expect.objectContaining({
      rule: 'name-constraints-violated',
      message: expect.stringContaining('evil.test'),
    }),
  ])
})

test('an unknown critical extension and a leaf EKU without serverAuth invalidate the path', async () => {
  const { root, intermediate } = await webPki()
  const odd = await issue({
    cn: 'odd.test',
    issuer: intermediate,
    extensions: [new x509.Extension('1.2.3.4', true, new Uint8Array([5, 0]))],
  })
  expect((await pathOf(odd, { pool: [intermediate], trust: [root] })).problems.map((p) => p.rule)).toEqual([
    'critical-extension-unsupported',
  ])
  const client = await issue({
    cn: 'client.test',
    issuer: intermediate,
    extensions: [ext.eku('1.3.6.1.5.5.7.3.2')],
  })
  expect((await pathOf(client, { pool: [intermediate], trust: [root] })).problems.map((p) => p.rule)).toEqual(
    ['eku-server-auth-missing'],
  )
})

test('at most maxIntermediates CAs between leaf and anchor', async () => {
  const { root, intermediate, leaf } = await webPki()
  expect((await pathOf(leaf, { pool: [intermediate], trust: [root], maxIntermediates: 1 })).status).toBe(
    'valid',
  )
  const tooDeep = await pathOf(leaf, { pool: [intermediate], trust: [root], maxIntermediates: 0 })
  expect(tooDeep.problems.map((p) => p.rule)).toEqual(['path-length-exceeded'])
})

describe('missing issuers fetched from caIssuers over HTTP', () => {
  let server: Server
  let dir: string
  const served = new Map<string, Buffer>()

  beforeAll(async () => {
    dir = tempDir()
    server = createServer((req, res) => {
      const body = served.get(req.url ?? '')
      res.writeHead(body ? 200 : 404).end(body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve))
    rmSync(dir, { recursive: true, force: true })
  })

  const fetchIssuer = async (url: string) => {
    const response = await fetch(url)
    return response.ok ? new Uint8Array(await response.arrayBuffer()) : null
  }
  const base = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  async function chainWithAia(path: string): Promise<{ root: Issued; intermediate: Issued; leaf: Issued }> {
    const { root, intermediate } = await webPki()
    const leaf = await issue({
      cn: 'aia.test',
      issuer: intermediate,
      extensions: [ext.aia([], [base() + path])],
    })
    return { root, intermediate, leaf }
  }

  test.each(['der', 'p7c', 'pem'])('the intermediate served as %s completes the path', async (form) => {
    const { root, intermediate, leaf } = await chainWithAia(`/inter.${form}`)
    const pem = writePem(dir, `inter-${form}.pem`, intermediate)
    const body =
      form === 'der'
        ? Buffer.from(intermediate.der)
        : form === 'pem'
          ? Buffer.from(intermediate.pem)
          : execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', pem, '-outform', 'DER'])
    served.set(`/inter.${form}`, body)
    const result = await pathOf(leaf, { trust: [root], fetchIssuer })
    expect(result).toMatchObject({ status: 'valid' })
    expect(result.path[1].sha256).toBe(intermediate.model.sha256)
  })

  test('a 404 leaves the path incomplete and names the URL tried', async () => {
    const { root, leaf } = await chainWithAia('/missing.der')
    const result = await pathOf(leaf, { trust: [root], fetchIssuer })
    expect(result.status).toBe('incomplete')
    expect(result.problems[0].message).toContain(`, nor at ${base()}/missing.der`)
  })
})

describe('hostnameMatches (RFC 6125)', () => {
  test('exact, case-insensitive and trailing-dot DNS names; one-label wildcards only', async () => {
    const cert = (await issue({ cn: 'h', extensions: [ext.san('www.example.com', '*.api.example.com')] }))
      .model
    expect(hostnameMatches(cert, 'WWW.example.com.')).toBe(true)
    expect(hostnameMatches(cert, 'v1.api.example.com')).toBe(true)
    expect(hostnameMatches(cert, 'api.example.com')).toBe(false)
    expect(hostnameMatches(cert, 'a.v1.api.example.com')).toBe(false)
    expect(hostnameMatches(cert, 'example.com')).toBe(false)
  })

  test('no common-name fallback, and IP addresses match iPAddress SANs only', async () => {
    const cnOnly = (await issue({ cn: 'cn.example.com' })).model
    expect(hostnameMatches(cnOnly, 'cn.example.com')).toBe(false)
    const withIp = (
      await issue({
        cn: 'ip',
        extensions: [
          new x509.SubjectAlternativeNameExtension([
            { type: 'ip', value: '192.0.2.7' },
            { type: 'ip', value: '2001:db8::1' },
            { type: 'dns', value: '192.0.2.8' },
          ]),
        ],
      })
    ).model
    expect(hostnameMatches(withIp, '192.0.2.7')).toBe(true)
    expect(hostnameMatches(withIp, '2001:0db8:0:0:0:0:0:1')).toBe(true)
    expect(hostnameMatches(withIp, '[2001:db8::1]')).toBe(true)
    expect(hostnameMatches(withIp, '192.0.2.8')).toBe(false)
  })
})
