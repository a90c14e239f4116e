// CRL revocation against CRLs made by `openssl ca -gencrl` and served over a
// local HTTP server that counts requests: good, revoked, stale, a forged
// signature, a wrong shard, one download for many certificates.
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import * as x509 from '../../src/model/x509.js'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { checkCrl } from '../../src/revocation/crl.js'
import { CrlLoader } from '../../src/revocation/crl-fetch.js'
import { ResponseCache } from '../../src/revocation/cache.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { tempDir } from '../helpers/pki.js'

let dir: string
let server: Server
let port: number
const files = new Map<string, Uint8Array>()
const requests = new Map<string, number>()
let intermediate: Cert
let leafGood: Cert
let leafRevoked: Cert
/** The revocation time openssl recorded in index.txt for leaf-revoked. */
let revokedAt: Date
let crlNextUpdate: Date

const url = (path: string) => `http://127.0.0.1:${port}${path}`
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' }).toString()
const load = (name: string): Cert => {
  const [der] = x509.PemConverter.decode(readFileSync(join(dir, name), 'utf8'))
  return buildCert(new Uint8Array(der), { file: name, line: 1, index: 0 })
}
const pemToDer = (pem: string) => new Uint8Array(x509.PemConverter.decode(pem)[0])

function config(caName: string): string {
  return `
[ ca ]
default_ca = the_ca
[ the_ca ]
dir = .
database = $dir/${caName}-index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
crlnumber = $dir/crlnumber
certificate = $dir/${caName}.crt
private_key = $dir/${caName}.key
default_md = sha256
default_days = 30
default_crl_days = 7
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ req ]
distinguished_name = req_dn
prompt = no
[ req_dn ]
CN = placeholder
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
crlDistributionPoints = URI:${url('/intermediate.crl')}
[ idp_other_shard ]
issuingDistributionPoint = critical, @idp_other
[ idp_other ]
fullname = URI:${url('/shard-2.crl')}
onlyuser = TRUE
[ idp_this_shard ]
issuingDistributionPoint = critical, @idp_this
[ idp_this ]
fullname = URI:${url('/shard-1.crl')}
onlyuser = TRUE
[ idp_only_ca ]
issuingDistributionPoint = critical, @idp_ca
[ idp_ca ]
fullname = URI:${url('/shard-ca.crl')}
onlyCA = TRUE
`
}

/** `openssl ca -gencrl` with the given CA and CRL extensions section; returns the PEM. */
function gencrl(caName: string, crlexts?: string): string {
  const out = `${caName}-${crlexts ?? 'plain'}.crl`
  openssl('ca', '-config', `${caName}.cnf`, '-gencrl', '-out', out, ...(crlexts ? ['-crlexts', crlexts] : []))
  return readFileSync(join(dir, out), 'utf8')
}

beforeAll(async () => {
  dir = tempDir('certgate-crl-')
  server = createServer((req, res) => {
    const path = req.url ?? ''
    requests.set(path, (requests.get(path) ?? 0) + 1)
    const body = files.get(path)
    if (!body) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port

  mkdirSync(join(dir, 'newcerts'))
  writeFileSync(join(dir, 'serial'), '1000\n')
  writeFileSync(join(dir, 'crlnumber'), '1000\n')
  for (const ca of ['intermediate', 'impostor']) {
    writeFileSync(join(dir, `${ca}.cnf`), config(ca))
    writeFileSync(join(dir, `${ca}-index.txt`), '')
  }
  // RSA root over an EC intermediate: the mixed-algorithm case of STACK-NOTES §6.
  openssl(
    'req',
    '-x509',
    '-new',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'root.key',
    '-out',
    'root.crt',
    '-days',
    '365',
    '-subj',
    '/CN=CRL Test Root',
    '-config',
    'intermediate.cnf',
    '-extensions',
    'v3_root',
  )
  openssl(
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'intermediate.key',
    '-out',
    'intermediate.csr',
    '-subj',
    '/CN=CRL Test Intermediate',
    '-config',
    'intermediate.cnf',
  )
  openssl(
    'x509',
    '-req',
    '-in',
    'intermediate.csr',
    '-CA',
    'root.crt',
    '-CAkey',
    'root.key',
    '-set_serial',
    '256',
    '-days',
    '365',
    '-extfile',
    'intermediate.cnf',
    '-extensions',
    'v3_intermediate',
    '-out',
    'intermediate.crt',
  )
  // Same name, another key: its CRLs name the right issuer but carry a signature the real key never made.
  openssl(
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
    '365',
    '-subj',
    '/CN=CRL Test Intermediate',
    '-config',
    'impostor.cnf',
  )
  for (const name of ['leaf-good', 'leaf-revoked']) {
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      `/CN=${name}.test`,
      '-config',
      'intermediate.cnf',
    )
    openssl(
      'ca',
      '-batch',
      '-config',
      'intermediate.cnf',
      '-extensions',
      'v3_leaf',
      '-notext',
      '-in',
      `${name}.csr`,
      '-out',
      `${name}.crt`,
    )
  }
  openssl('ca', '-config', 'intermediate.cnf', '-revoke', 'leaf-revoked.crt', '-crl_reason', 'keyCompromise')
  const line = readFileSync(join(dir, 'intermediate-index.txt'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('R'))!
  const m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z/.exec(line.split('\t')[2])!
  revokedAt = new Date(Date.UTC(2000 + +m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]))

  intermediate = load('intermediate.crt')
  leafGood = load('leaf-good.crt')
  leafRevoked = load('leaf-revoked.crt')

  const plain = gencrl('intermediate')
  files.set('/intermediate.crl', new TextEncoder().encode(plain))
  files.set('/intermediate-der.crl', pemToDer(plain))
  crlNextUpdate = new Date(
    /nextUpdate=(.*)/.exec(openssl('crl', '-in', 'intermediate-plain.crl', '-noout', '-nextupdate'))![1],
  )
  files.set('/impostor.crl', pemToDer(gencrl('impostor')))
  files.set('/shard-1.crl', pemToDer(gencrl('intermediate', 'idp_this_shard')))
  files.set('/shard-wrong.crl', pemToDer(gencrl('intermediate', 'idp_other_shard')))
  files.set('/shard-ca.crl', pemToDer(gencrl('intermediate', 'idp_only_ca')))
  files.set('/garbage.crl', new Uint8Array([0x30, 0x82, 0x10, 0x00, 1, 2, 3]))
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  rmSync(dir, { recursive: true, force: true })
})

beforeEach(() => requests.clear())

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
    const cacheDir = join(dir, 'cache')
    const opts = options()
    const first = await checkCrl(leafRevoked, intermediate, opts, {
      loader: new CrlLoader(opts, new ResponseCache(cacheDir)),
    })
    expect(first.status).toBe('revoked')
    expect(requests.get('/intermediate.crl')).toBe(1)

    const second = await checkCrl(leafRevoked, intermediate, opts, {
      loader: new CrlLoader(opts, new ResponseCache(cacheDir)),
    })
    expect(second).toEqual(first)
    expect(requests.get('/intermediate.crl')).toBe(1)
  })
})
