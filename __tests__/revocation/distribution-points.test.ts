// Every distribution point counts (DESIGN "Verdicts"): a leaf naming two CRL
// distribution points, CRLs made by `openssl ca -gencrl` before and after
// its revocation, served on 127.0.0.1. Whichever point comes first, a serial
// listed on any verified CRL of its issuer is revoked; a point that fails
// does not hide the answer of another.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { derOfPem } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { certificateEntry, runCheck } from '../helpers/run-check.js'

let pki: OpensslPki
let server: FileServer
let leaf: Cert
let before: Uint8Array
let after: Uint8Array
/** Partitioned CRLs: the first point's shard from before the revocation, the second's from after. */
let shard1: Uint8Array
let shard2: Uint8Array

/** A CRL of the intermediate's current index, optionally with an Issuing Distribution Point naming `idp`. */
function gencrl(out: string, idp?: string): Uint8Array {
  const extra = idp ? ['-crlexts', idp] : []
  pki.openssl(['ca', '-config', 'dp-test.cnf', '-gencrl', '-crldays', '7', '-out', out, ...extra])
  return derOfPem(readFileSync(pki.path(out), 'utf8'))
}

const EXTRA = (port: number) => `
[ two_dps ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:two-dps.test
crlDistributionPoints = URI:http://127.0.0.1:${port}/dp-1.crl, URI:http://127.0.0.1:${port}/dp-2.crl
[ idp_1 ]
issuingDistributionPoint = critical, @idp_1_names
[ idp_1_names ]
fullname = URI:http://127.0.0.1:${port}/dp-1.crl
onlyuser = TRUE
[ idp_2 ]
issuingDistributionPoint = critical, @idp_2_names
[ idp_2_names ]
fullname = URI:http://127.0.0.1:${port}/dp-2.crl
onlyuser = TRUE
`

beforeAll(async () => {
  const port = await freePort()
  pki = createOpensslPki(port)
  server = await serveFiles(port)
  writeFileSync(pki.path('dp-test.cnf'), readFileSync(pki.path('openssl.cnf'), 'utf8') + EXTRA(port))
  pki.openssl(
    ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
      '-keyout',
      'two-dps.key',
      '-out',
      'two-dps.csr',
      '-subj',
      '/CN=two-dps.test',
      '-config',
      'openssl.cnf',
    ]),
  )
  pki.openssl(
    ['ca', '-batch', '-config', 'dp-test.cnf', '-extensions', 'two_dps', '-notext'].concat([
      '-in',
      'two-dps.csr',
      '-out',
      'two-dps.crt',
    ]),
  )
  leaf = buildCert(derOfPem(readFileSync(pki.path('two-dps.crt'), 'utf8')), {
    file: 'two-dps.crt',
    line: 1,
    index: 0,
  })
  before = gencrl('before.crl')
  shard1 = gencrl('shard-1.crl', 'idp_1')
  pki.revoke('two-dps.crt', 'keyCompromise')
  // thisUpdate has a resolution of one second: the CRLs after the revocation are strictly newer.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  after = gencrl('after.crl')
  shard2 = gencrl('shard-2.crl', 'idp_2')
})

afterAll(async () => {
  await server?.close()
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

const run = async () => {
  const result = await runCheck(
    [
      '--allow-private-network',
      '--retries',
      '0',
      '--revocation',
      'crl',
      '--trust',
      pki.path('root.crt'),
    ].concat(['--issuer', pki.path('intermediate.crt'), pki.path('two-dps.crt')]),
    pki.dir,
  )
  return certificateEntry(result, leaf.sha256).revocation
}

describe('a certificate with two CRL distribution points', () => {
  test('the openssl-made leaf names both points, in order', () => {
    expect(leaf.crlUrls).toEqual([server.url('/dp-1.crl'), server.url('/dp-2.crl')])
  })

  test('revoked when only the second point’s newer CRL lists the serial', async () => {
    server.set('/dp-1.crl', before)
    server.set('/dp-2.crl', after)
    expect(await run()).toMatchObject({
      status: 'revoked',
      reason: 'keyCompromise',
      url: server.url('/dp-2.crl'),
    })
    // openssl agrees: of CRLs with the same scope it uses the newest (x509_vfy.c get_crl_sk), here the second.
    const verify = spawnSync(
      'openssl',
      [
        ...['verify', '-crl_check', '-CAfile', 'root.crt', '-untrusted', 'intermediate.crt'],
        ...['-CRLfile', 'before.crl', '-CRLfile', 'after.crl', 'two-dps.crt'],
      ],
      { cwd: pki.dir, encoding: 'utf8' },
    )
    expect(verify.stdout + verify.stderr).toMatch(/certificate revoked/)
  })

  test('revoked when the first point lists it and the second does not', async () => {
    server.set('/dp-1.crl', after)
    server.set('/dp-2.crl', before)
    expect(await run()).toMatchObject({ status: 'revoked', url: server.url('/dp-1.crl') })
  })

  test('partitioned CRLs whose Issuing Distribution Points name each point: the shard that lists it wins', async () => {
    server.set('/dp-1.crl', shard1)
    server.set('/dp-2.crl', shard2)
    expect(await run()).toMatchObject({ status: 'revoked', url: server.url('/dp-2.crl') })
    // Shards swapped: each names the other point's URL, so neither can speak for the certificate.
    server.set('/dp-1.crl', shard2)
    server.set('/dp-2.crl', shard1)
    const verdict = await run()
    expect(verdict).toMatchObject({ status: 'invalid', url: server.url('/dp-1.crl') })
    expect(verdict.detail).toMatch(
      /Issuing Distribution Point names .*dp-2\.crl.*; also CRL .*dp-2\.crl: .*names .*dp-1\.crl/,
    )
  })

  test('good from the point that answers, with the failure of the other in the detail', async () => {
    server.set('/dp-1.crl', { body: 'gone', status: 503 })
    server.set('/dp-2.crl', before)
    const verdict = await run()
    expect(verdict).toMatchObject({ status: 'good', url: server.url('/dp-2.crl') })
    expect(verdict.detail).toMatch(/not listed on .*dp-2\.crl; also .*dp-1\.crl/)
  })

  test('no point answering is reported from the first, with the others appended', async () => {
    server.set('/dp-1.crl', { body: 'gone', status: 503 })
    server.set('/dp-2.crl', { body: 'gone', status: 404 })
    const verdict = await run()
    expect(verdict.status).toBe('unreachable')
    expect(verdict.url).toBe(server.url('/dp-1.crl'))
    expect(verdict.detail).toMatch(/503.*; also .*404/)
  })
})
