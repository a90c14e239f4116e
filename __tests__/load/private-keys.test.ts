// Issue 12: private keys committed in forms the loader did not recognise as
// keys: DER files (PKCS#8, encrypted PKCS#8, PKCS#1, SEC 1, PKCS#12), keys
// pasted under a CERTIFICATE, PKCS7 or X509 CRL label, and OpenPGP armored
// secret keys. Each is private-key-in-file on its file, named by its kind,
// and no octet of the key reaches the report. Keys are made by openssl here.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { checkFiles } from '../helpers/check-run.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { pem } from '../fuzz/mutate.js'
import type { Report } from '../../src/report/types.js'

let pki: OpensslPki
let report: Report
/** Every key's DER, to prove none of it is printed. */
const secrets: Uint8Array[] = []

/** File name → the kind its finding must name. */
const EXPECTED: Record<string, RegExp> = {
  'pkcs8.der': /^private key \(PKCS#8 PrivateKeyInfo, DER\) in a scanned file/,
  'encrypted.der': /^private key \(PKCS#8 EncryptedPrivateKeyInfo, DER\)/,
  'rsa.der': /^private key \(PKCS#1 RSAPrivateKey, DER\)/,
  'sec1.der': /^private key \(SEC 1 ECPrivateKey, DER\)/,
  'bundle.p12': /^private key \(PKCS#12 archive \(keys and certificates\), DER\)/,
  'in-certificate.pem': /^private key \(PKCS#8 PrivateKeyInfo in a CERTIFICATE block\)/,
  'in-pkcs7.pem': /^private key \(SEC 1 ECPrivateKey in a PKCS7 block\)/,
  'in-crl.pem': /^private key \(PKCS#1 RSAPrivateKey in a X509 CRL block\)/,
  'pgp.pem': /^private key \(PGP PRIVATE KEY BLOCK block\)/,
}

beforeAll(async () => {
  pki = createOpensslPki(9)
  const der = (name: string): Uint8Array => {
    const bytes = new Uint8Array(readFileSync(pki.path(name)))
    secrets.push(bytes)
    return bytes
  }
  pki.openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'pkcs8.pem'])
  // openssl writes an EC key's DER as SEC 1 unless asked for PKCS#8.
  pki.openssl(['pkcs8', '-topk8', '-nocrypt', '-in', 'pkcs8.pem', '-outform', 'DER', '-out', 'pkcs8.der'])
  pki.openssl([
    ...['pkcs8', '-topk8', '-in', 'pkcs8.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:test'],
    ...['-outform', 'DER', '-out', 'encrypted.der'],
  ])
  pki.openssl(['ec', '-in', 'pkcs8.pem', '-outform', 'DER', '-out', 'sec1.der'])
  pki.openssl(['genrsa', '-out', 'rsa.pem', '2048'])
  pki.openssl(['rsa', '-in', 'rsa.pem', '-traditional', '-outform', 'DER', '-out', 'rsa.der'])
  pki.openssl([
    ...['pkcs12', '-export', '-in', 'leaf-good.crt', '-inkey', 'leaf-good.key'],
    ...['-passout', 'pass:test', '-out', 'bundle.p12'],
  ])
  for (const name of ['pkcs8.der', 'encrypted.der', 'sec1.der', 'rsa.der', 'bundle.p12'])
    writeFileSync(pki.path(`scan-${name}`), der(name))
  writeFileSync(pki.path('scan-in-certificate.pem'), pem('CERTIFICATE', der('pkcs8.der')))
  writeFileSync(pki.path('scan-in-pkcs7.pem'), pem('PKCS7', der('sec1.der')))
  writeFileSync(pki.path('scan-in-crl.pem'), pem('X509 CRL', der('rsa.der')))
  // RFC 4880 §6.2 armor: header lines, a blank line, base64, the CRC-24 line.
  const pgpKey = new Uint8Array(randomBytes(600))
  secrets.push(pgpKey)
  const armored = pem('PGP PRIVATE KEY BLOCK', pgpKey)
    .replace('-----\n', '-----\nVersion: GnuPG v2\n\n')
    .replace('\n-----END', '\n=abcd\n-----END')
  writeFileSync(pki.path('scan-pgp.pem'), armored)
  writeFileSync(pki.path('scan-site.pem'), readFileSync(pki.path('leaf-good.crt')))

  const inputs = [...Object.keys(EXPECTED), 'site.pem'].map((name) => `scan-${name}`)
  report = await checkFiles(pki.dir, inputs, {
    profile: 'private-tls',
    trust: pki.path('root.crt'),
    issuer: pki.path('intermediate.crt'),
  })
}, 60_000)
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

describe('private keys in every form', () => {
  test.each(Object.entries(EXPECTED))('%s is private-key-in-file, named by its kind', (name, message) => {
    const entry = report.files.find((f) => f.file === `scan-${name}`)
    expect(entry?.findings.map((f) => [f.rule, f.severity])).toEqual([['private-key-in-file', 'warning']])
    expect(entry?.findings[0].message).toMatch(message)
  })

  test('the certificate beside them is loaded and judged as usual', () => {
    const site = report.certificates.filter((c) => c.file === 'scan-site.pem')
    expect(site).toHaveLength(1)
    expect(site[0].findings.filter((f) => f.rule === 'parse-error')).toEqual([])
  })

  test('no octet run of any key appears in the report, as base64 or hex', () => {
    const printed = JSON.stringify(report)
    for (const key of secrets) {
      // Runs from the middle of the key: the leading octets of DER keys are the same in every key.
      const middle = Buffer.from(key.subarray(key.length / 2, key.length / 2 + 18))
      expect(printed).not.toContain(middle.toString('base64'))
      expect(printed).not.toContain(middle.toString('hex'))
    }
  })
})
