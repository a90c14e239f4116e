// The DER-walking CRL index: a 100,000-entry CRL from `openssl ca -gencrl`
// answers lookups; strict parsing; CRLs from x509.X509CrlGenerator exercise
// unsorted entries, delta and unknown critical extensions.
import { webcrypto } from 'node:crypto'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as x509 from '../../src/model/x509.js'
import { judgeCrl } from '../../src/revocation/crl/check.js'
import { indexCrl } from '../../src/revocation/crl/entries.js'
import { crlSignatureProblem } from '../../src/revocation/crl/signature.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { ext, issue, type Issued } from '../helpers/pki.js'

const ENTRIES = 100_000
const REASONS = ['keyCompromise', 'superseded', 'cessationOfOperation', 'affiliationChanged']
/** Serials spread over a wide range and written in shuffled order, as index.txt lines. */
const serialOf = (i: number) => (0x10_0000_0000 + i * 7919).toString(16).toUpperCase()
const revokedTime = (i: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, i % 3600))
const utcTime = (d: Date) =>
  d.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*/, '$1$2$3$4$5$6Z')

let pki: OpensslPki
let big: Uint8Array

beforeAll(() => {
  pki = createOpensslPki(1)
  const order = Array.from({ length: ENTRIES }, (_, i) => i)
  for (let i = order.length - 1; i > 0; i--) {
    const j = (i * 48271) % (i + 1)
    ;[order[i], order[j]] = [order[j], order[i]]
  }
  const lines = order.map(
    (i) =>
      `R\t301231235959Z\t${utcTime(revokedTime(i))},${REASONS[i % 4]}\t${serialOf(i)}\tunknown\t/CN=n${i}\n`,
  )
  writeFileSync(pki.path('big-index.txt'), lines.join(''))
  const config = readFileSync(pki.path('openssl.cnf'), 'utf8').replace('$dir/index.txt', '$dir/big-index.txt')
  writeFileSync(pki.path('big.cnf'), config)
  pki.openssl(['ca', '-config', 'big.cnf', '-gencrl', '-out', 'big.crl'])
  big = new Uint8Array(readFileSync(pki.path('big.crl')))
})

afterAll(() => {
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

describe('indexCrl on a 100,000-entry CRL from openssl ca', () => {
  test('indexes every entry, verifies, and answers lookups with date and reason', () => {
    const crl = indexCrl(big)
    expect(crl.size).toBe(ENTRIES)
    expect(crlSignatureProblem(crl, pki.intermediate)).toBeUndefined()
    expect(crl.issuerKey).toBe(pki.intermediate.subjectKey)
    for (const i of [0, 1, 4242, 77_777, ENTRIES - 1]) {
      expect(crl.find(serialOf(i))).toEqual({ revokedAt: revokedTime(i), reason: REASONS[i % 4] })
    }
    expect(crl.find('00' + serialOf(12).toLowerCase())).toBeDefined()
    expect(crl.find((0x10_0000_0000 + 1).toString(16))).toBeUndefined()
    expect(crl.find('00')).toBeUndefined()
  })

  test('a signature by another key does not verify', () => {
    expect(crlSignatureProblem(indexCrl(big), pki.root)).toMatch(/does not verify|cannot be checked/)
  })
})

describe('indexCrl is strict about encoding', () => {
  let small: Uint8Array
  beforeAll(() => {
    const pem = readFileSync(pki.gencrl('small.crl'), 'utf8')
    small = new Uint8Array(x509.PemConverter.decode(pem)[0])
  })

  test('PEM and DER give the same index', () => {
    const fromPem = indexCrl(new Uint8Array(readFileSync(pki.path('small.crl'))))
    expect(Buffer.from(fromPem.der)).toEqual(Buffer.from(small))
    expect(fromPem.crlNumber).toBe(indexCrl(small).crlNumber)
  })

  test('trailing data, truncation, BER indefinite lengths and other PEM labels are errors', () => {
    expect(() => indexCrl(new Uint8Array([...small, 0]))).toThrow(/1 bytes of trailing data/)
    expect(() => indexCrl(small.subarray(0, small.length - 10))).toThrow(
      /declares \d+ bytes .* only \d+ remain/,
    )
    const indefinite = new Uint8Array([0x30, 0x80, ...small.subarray(4), 0, 0])
    expect(() => indexCrl(indefinite)).toThrow(/indefinite length/)
    expect(() =>
      indexCrl(new TextEncoder().encode('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')),
    ).toThrow(/no "X509 CRL" block/)
    expect(() => indexCrl(new Uint8Array(0))).toThrow(/truncated/)
  })
})

describe('CRLs from x509.X509CrlGenerator', () => {
  let ca: Issued
  let leaf: Issued
  const options = revocationOptions()
  const make = (params: Partial<x509.X509CrlCreateParams>, signer: Issued = ca) =>
    x509.X509CrlGenerator.create({
      issuer: signer.cert.subject,
      thisUpdate: new Date(Date.now() - 3600_000),
      nextUpdate: new Date(Date.now() + 86_400_000),
      signingKey: signer.keys.privateKey,
      signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
      ...params,
    })
  const judge = async (params: Partial<x509.X509CrlCreateParams>, issuer: Issued = ca) =>
    judgeCrl(
      indexCrl(new Uint8Array((await make(params, issuer)).rawData)),
      'http://crl.test/ca.crl',
      leaf.model,
      issuer.model,
      options,
    )

  beforeAll(async () => {
    ca = await issue({ cn: 'Generator CA', extensions: [ext.ca(), ext.caKeyUsage()] })
    leaf = await issue({ cn: 'leaf.test', issuer: ca, serial: '0a0b0c', extensions: [ext.notCa()] })
  })

  test('entries out of serial order are all found, with reason and invalidity date', async () => {
    const invalidity = new Date(Date.UTC(2025, 5, 1))
    const crl = indexCrl(
      new Uint8Array(
        (
          await make({
            entries: [
              {
                serialNumber: '0a0b0c',
                revocationDate: new Date(Date.UTC(2025, 5, 2)),
                reason: x509.X509CrlReason.cACompromise,
                invalidity,
              },
              { serialNumber: '01', revocationDate: new Date(Date.UTC(2025, 5, 3)) },
              {
                serialNumber: '0500',
                revocationDate: new Date(Date.UTC(2025, 5, 4)),
                reason: x509.X509CrlReason.superseded,
              },
            ],
          })
        ).rawData,
      ),
    )
    expect(crl.find('A0B0C')).toEqual({
      revokedAt: new Date(Date.UTC(2025, 5, 2)),
      reason: 'cACompromise',
      invalidityDate: invalidity,
    })
    expect(crl.find('01')).toEqual({ revokedAt: new Date(Date.UTC(2025, 5, 3)) })
    expect(crl.find('0500')?.reason).toBe('superseded')
    expect(crl.find('05')).toBeUndefined()
  })

  test('the leaf is revoked or good by the generated CRL', async () => {
    expect(
      (await judge({ entries: [{ serialNumber: '0a0b0c', reason: x509.X509CrlReason.keyCompromise }] }))
        .status,
    ).toBe('revoked')
    expect((await judge({ entries: [{ serialNumber: '0a0b0d' }] })).status).toBe('good')
  })

  test('a delta CRL is reported, not accepted as complete', async () => {
    const delta = new x509.Extension('2.5.29.27', true, new Uint8Array([0x02, 0x01, 0x05]))
    const result = await judge({ extensions: [delta] })
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/delta CRL/)
  })

  test('an unknown critical extension makes the CRL unusable', async () => {
    const unknown = new x509.Extension('1.2.3.4.5', true, new Uint8Array([0x05, 0x00]))
    const result = await judge({ extensions: [unknown] })
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/unsupported critical extension 1\.2\.3\.4\.5/)
  })

  test('an issuer whose key usage lacks cRLSign cannot vouch for a CRL', async () => {
    const noCrlSign = await issue({
      cn: 'Generator CA',
      extensions: [ext.ca(), ext.keyUsage(x509.KeyUsageFlags.keyCertSign)],
    })
    const result = await judge({}, noCrlSign)
    expect(result.status).toBe('invalid')
    expect(result.detail).toMatch(/cRLSign/)
  })
})
