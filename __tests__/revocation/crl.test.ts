// CRL revocation against CRLs made by `openssl ca -gencrl` and served over a
// local HTTP server that counts requests: good, revoked, stale, a forged
// signature, a wrong shard, one download for many certificates.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as x509 from '../../src/model/x509.js'
import type { Cert } from '../../src/model/cert.js'
import { checkCrl } from '../../src/revocation/crl/check.js'
import { CrlLoader } from '../../src/revocation/crl/fetch.js'
import { ResponseCache } from '../../src/revocation/cache.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'

let pki: OpensslPki
let server: Server
let port: number
const files = new Map<string, Uint8Array>()
const requests = new Map<string, number>()
let notModified = 0
let intermediate: Cert
let leafGood: Cert
let leafRevoked: Cert
/** The revocation time openssl recorded in index.txt for leaf-revoked. */
let revokedAt: Date
let crlNextUpdate: Date

const url = (path: string) => `http://127.0.0.1:${port}${path}`
const pemToDer = (pem: string) => new Uint8Array(x509.PemConverter.decode(pem)[0])

/** CRL extension sections (IDP shards) and a CA with the intermediate's name but another key. */
const EXTRA_CONFIG = `
[ impostor_ca ]
dir = .
database = $dir/impostor-index.txt
crlnumber = $dir/crlnumber
certificate = $dir/impostor.crt
private_key = $dir/impostor.key
default_md = sha256
default_crl_days = 7
[ idp_other_shard ]
issuingDistributionPoint = critical, @idp_other
[ idp_other ]
fullname = URI:http://127.0.0.1:$PORT/shard-2.crl
onlyuser = TRUE
[ idp_this_shard ]
issuingDistributionPoint = critical, @idp_this
[ idp_this ]
fullname = URI:http://127.0.0.1:$PORT/shard-1.crl
onlyuser = TRUE
[ idp_only_ca ]
issuingDistributionPoint = critical, @idp_ca
[ idp_ca ]
fullname = URI:http://127.0.0.1:$PORT/shard-ca.crl
onlyCA = TRUE
`

/** `openssl ca -gencrl` with another CA section or CRL extensions; returns the CRL as DER. */
function gencrl(out: string, ...args: string[]): Uint8Array {
  pki.openssl(['ca', '-config', 'crl-test.cnf', '-gencrl', '-out', out, ...args])
  return pemToDer(readFileSync(pki.path(out), 'utf8'))
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? ''
    requests.set(path, (requests.get(path) ?? 0) + 1)
    const body = files.get(path)
    if (!body) return res.writeHead(404).end()
    const etag = `"${createHash('sha256').update(body).digest('hex')}"`
    if (req.headers['if-none-match'] === etag) {
      notModified++
      return res.writeHead(304, { etag }).end()
    }
    res.writeHead(200, { 'content-type': 'application/pkix-crl', etag }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port

  pki = createOpensslPki(port)
  ;({ intermediate } = pki)
  leafGood = pki.leaves['leaf-good']
  leafRevoked = pki.leaves['leaf-revoked']
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
  const line = readFileSync(pki.path('index.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('R'))!
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z/.exec(line.split('\t')[2])!
  revokedAt = new Date(Date.UTC(2000 + +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]))

  const plain = readFileSync(pki.gencrl(), 'utf8')
  files.set('/intermediate.crl', new TextEncoder().encode(plain))
  files.set('/intermediate-der.crl', pemToDer(plain))
  crlNextUpdate = new Date(
    /nextUpdate=(.*)/.exec(pki.openssl(['crl', '-in', 'intermediate.crl', '-noout', '-nextupdate']))![1],
  )

  writeFileSync(pki.path('crl-test.cnf'), readFileSync(pki.path('openssl.cnf'), 'utf8') + EXTRA_CONFIG)
  writeFileSync(pki.path('impostor-index.txt'), '')
  // Same name, another key: its CRL names the right issuer but carries a signature the real key never made.
  const subject = '/O=certgate Test/CN=certgate Test Intermediate CA'
  pki.openssl([
    'req',
    '-x509',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'impostor.key',
    '-out',
    'impostor.crt',
    '-days',
    '30',
    '-subj',
    subject,
    '-config',
    'openssl.cnf',
  ])
  files.set('/impostor.crl', gencrl('impostor.crl', '-name', 'impostor_ca'))
  files.set('/shard-1.crl', gencrl('shard-1.crl', '-crlexts', 'idp_this_shard'))
  files.set('/shard-wrong.crl', gencrl('shard-wrong.crl', '-crlexts', 'idp_other_shard'))
  files.set('/shard-ca.crl', gencrl('shard-ca.crl', '-crlexts', 'idp_only_ca'))
  files.set('/garbage.crl', new Uint8Array([0x30, 0x82, 0x10, 0x00, 1, 2, 3]))
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

beforeEach(() => {
  requests.clear()
  notModified = 0
})

const options = (overrides: Parameters<typeof revocationOptions>[0] = {}) =>
  revocationOptions({ allowPrivateNetwork: true, timeoutMs: 5000, retries: 0, ...overrides })
const withUrls = (cert: Cert, ...paths: string[]): Cert => ({ ...cert, crlUrls: paths.map(url) })
const check = (cert: Cert, overrides: Parameters<typeof revocationOptions>[0] = {}) => {
  const opts = options(overrides)
  return checkCrl(cert, intermediate, opts, { loader: new CrlLoader(opts) })
}

describe('checkCrl against openssl ca -gencrl', () => {
  test('a certificate not on the CRL is good, with the CRL times', async () => {
    const result = await check(leafGood)
    expect(result).toMatchObject({ source: 'crl', status: 'good', url: url('/intermediate.crl') })
    expect(result.nextUpdate).toBe(crlNextUpdate.toISOString())
  })

  test('a revoked certificate is revoked with the date and reason openssl recorded', async () => {
    const result = await check(leafRevoked)
    expect(result).toMatchObject({
      status: 'revoked',
      reason: 'keyCompromise',
      revokedAt: revokedAt.toISOString(),
    })
  })

  test('DER and PEM CRLs give the same answer', async () => {
    const result = await check(withUrls(leafRevoked, '/intermediate-der.crl'))
    expect(result).toMatchObject({ status: 'revoked', reason: 'keyCompromise' })
  })

  test('stale once now passes nextUpdate, and already within the next-update margin', async () => {
    const after = await check(leafGood, { now: new Date(crlNextUpdate.getTime() + 60_000) })
    expect(after.status).toBe('stale')
    expect(after.detail).toMatch(/has passed/)
    const within = await check(leafGood, { now: new Date(crlNextUpdate.getTime() - 30 * 60_000) })
    expect(within.status).toBe('stale')
    expect(within.detail).toMatch(/margin/)
  })

  test('a CRL whose thisUpdate is beyond now + skew is invalid', async () => {
    const result = await check(leafGood, { now: new Date(Date.now() - 24 * 3600_000) })
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/thisUpdate .* in the future/)
  })

  test('a CRL with the issuer name but signed by another key is invalid', async () => {
    const result = await check(withUrls(leafRevoked, '/impostor.crl'))
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/signature does not verify/)
  })

  test('a shard whose Issuing Distribution Point names another URL is invalid', async () => {
    const result = await check(withUrls(leafGood, '/shard-wrong.crl'))
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/Issuing Distribution Point names .*shard-2\.crl/)
  })

  test('the shard the Issuing Distribution Point names is used', async () => {
    expect((await check(withUrls(leafGood, '/shard-1.crl'))).status).toBe('good')
    expect((await check(withUrls(leafRevoked, '/shard-1.crl'))).status).toBe('revoked')
  })

  test('a CA-only CRL does not cover a leaf', async () => {
    const result = await check(withUrls(leafGood, '/shard-ca.crl'))
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/onlyContainsCACerts/)
  })

  test('malformed bytes are invalid, an HTTP error unreachable, and the next URL is tried', async () => {
    expect(await check(withUrls(leafGood, '/garbage.crl'))).toMatchObject({ status: 'invalid' })
    expect((await check(withUrls(leafGood, '/garbage.crl'))).detail).toMatch(
      /malformed: .*declares 4096 bytes/,
    )
    expect(await check(withUrls(leafGood, '/missing.crl'))).toMatchObject({ status: 'unreachable' })
    expect(await check(withUrls(leafGood, '/missing.crl', '/intermediate.crl'))).toMatchObject({
      status: 'good',
      url: url('/intermediate.crl'),
    })
  })

  test('a CRL URL shared by many certificates is downloaded once per run', async () => {
    const opts = options()
    const loader = new CrlLoader(opts)
    const certs = [leafGood, leafRevoked, leafGood, leafRevoked, leafGood, leafRevoked]
    const results = await Promise.all(certs.map((cert) => checkCrl(cert, intermediate, opts, { loader })))
    expect(results.map((r) => r.status)).toEqual(['good', 'revoked', 'good', 'revoked', 'good', 'revoked'])
    expect(requests.get('/intermediate.crl')).toBe(1)
  })
})

describe('checkCrl with --cache-dir', () => {
  test('a fresh cached CRL is reused without a request and verified again', async () => {
    const cacheDir = pki.path('cache')
    const opts = options()
    const first = await checkCrl(leafRevoked, intermediate, opts, {
      loader: new CrlLoader(opts, new ResponseCache(cacheDir)),
    })
    expect(first.status).toBe('revoked')
    expect(requests.get('/intermediate.crl')).toBe(1)

    const second = await checkCrl(leafRevoked, intermediate, opts, {
      loader: new CrlLoader(opts, new ResponseCache(cacheDir)),
    })
    // The report says the verdict rests on a stored CRL, not one fetched in this run.
    expect(first.cached).toBeUndefined()
    expect(second).toEqual({ ...first, cached: true })
    expect(requests.get('/intermediate.crl')).toBe(1)
  })

  const checkWithCache = (
    cacheDir: string,
    cert: Cert,
    overrides: Parameters<typeof revocationOptions>[0] = {},
  ) => {
    const opts = options(overrides)
    return checkCrl(cert, intermediate, opts, { loader: new CrlLoader(opts, new ResponseCache(cacheDir)) })
  }

  test('a cached CRL that no longer verifies is rejected and fetched again', async () => {
    const cacheDir = pki.path('cache-tampered')
    expect((await checkWithCache(cacheDir, leafRevoked)).status).toBe('revoked')
    // Replace the body with a CRL that lists nothing, signed by the impostor key, and make the digest match.
    const forged = files.get('/impostor.crl')!
    const body = readdirSync(cacheDir).find((f) => f.endsWith('.der'))!
    const meta = body.replace(/\.der$/, '.json')
    writeFileSync(join(cacheDir, body), forged)
    const stored = JSON.parse(readFileSync(join(cacheDir, meta), 'utf8')) as { sha256: string }
    stored.sha256 = createHash('sha256').update(forged).digest('hex')
    writeFileSync(join(cacheDir, meta), JSON.stringify(stored))

    const again = await checkWithCache(cacheDir, leafRevoked)
    expect(again).toMatchObject({ status: 'revoked', reason: 'keyCompromise' })
    expect(again.cached).toBeUndefined()
    expect(requests.get('/intermediate.crl')).toBe(2)
    expect(readFileSync(join(cacheDir, body))).toEqual(Buffer.from(files.get('/intermediate-der.crl')!))
  })

  test('a cached CRL past its freshness is revalidated with If-None-Match and reused on 304', async () => {
    const cacheDir = pki.path('cache-revalidate')
    const now = new Date(crlNextUpdate.getTime() - 30 * 60_000)
    const first = await checkWithCache(cacheDir, leafRevoked, { now })
    const second = await checkWithCache(cacheDir, leafRevoked, { now })
    expect(second).toEqual({ ...first, cached: true })
    expect(requests.get('/intermediate.crl')).toBe(2)
    expect(notModified).toBe(1)
  })
})
