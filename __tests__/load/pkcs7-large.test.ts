// Issue 12: a PKCS#7 bundle over 64 KiB failed to load ("Data is not correct
// for 'ContentInfo'": asn1js stops at 10,000 ASN.1 nodes, about 250
// certificates) although openssl reads it. Bundles of 300 certificates are
// made with `openssl crl2pkcs7 -nocrl -certfile`, in PEM and DER, and what
// certgate loads is compared with `openssl pkcs7 -print_certs`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { loadFile } from '../../src/load/file.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { derOfPem } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'

const COUNT = 300

let pki: OpensslPki

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.openssl([
    ...['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', 'bulk.key', '-out', 'bulk.csr', '-subj', '/O=certgate Test/CN=bulk.test'],
  ])
  // One openssl run signs the request COUNT times (unique_subject = no), each with the next serial,
  // into the CA's newcerts directory.
  const before = new Set(readdirSync(pki.path('newcerts')))
  pki.openssl([
    ...['ca', '-batch', '-config', 'openssl.cnf', '-extensions', 'v3_leaf', '-notext'],
    ...['-infiles', ...Array.from({ length: COUNT }, () => 'bulk.csr')],
  ])
  const issued = readdirSync(pki.path('newcerts'))
    .filter((name) => !before.has(name))
    .sort()
  writeFileSync(
    pki.path('bulk.pem'),
    issued.map((name) => readFileSync(pki.path(`newcerts/${name}`), 'utf8')).join(''),
  )
  for (const [format, out] of [
    ['PEM', 'bulk.p7b.pem'],
    ['DER', 'bulk.p7b'],
  ]) {
    pki.openssl(['crl2pkcs7', '-nocrl', '-certfile', 'bulk.pem', '-outform', format, '-out', out])
  }
}, 120_000)
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

/** SHA-256 of every certificate openssl finds in the bundle, in its order. */
function opensslFingerprints(file: string, format: 'PEM' | 'DER'): string[] {
  const printed = pki.openssl(['pkcs7', '-in', file, '-inform', format, '-print_certs'])
  const blocks = printed.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []
  return blocks.map((pem) => createHash('sha256').update(derOfPem(pem)).digest('hex'))
}

describe('a PKCS#7 bundle over 64 KiB', () => {
  test.each([
    ['DER', 'bulk.p7b'],
    ['PEM', 'bulk.p7b.pem'],
  ] as const)('in %s loads every certificate openssl reads, in its order', async (format, file) => {
    expect(statSync(pki.path(file)).size).toBeGreaterThan(64 * 1024)
    const expected = opensslFingerprints(file, format)
    expect(expected).toHaveLength(COUNT)
    const loaded = await loadFile(pki.path(file), pki.dir)
    expect(loaded.findings).toEqual([])
    expect(loaded.kind).toBe('certificates')
    expect(loaded.certs.map((c) => c.sha256)).toEqual(expected)
    expect(new Set(loaded.certs.map((c) => c.serial)).size).toBe(COUNT)
  })
})
