import { AsnConvert } from '@peculiar/asn1-schema'
import { RSAPublicKey } from '@peculiar/asn1-rsa'
import { AlgorithmIdentifier, SubjectPublicKeyInfo } from '@peculiar/asn1-x509'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '../../src/model/x509.js'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { tempDir } from '../helpers/pki.js'
import { rule } from '../../src/rules/weak-key.js'
import { hasRocaFingerprint, ROCA_SUBGROUPS } from '../../src/rules/support/roca.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('EC P-256 and RSA 2048 keys pass', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toEqual([])
  expect(judge(rule, contextFor(await issued(serverLeaf(), { key: 'rsa2048' })))).toEqual([])
})

test('an RSA 1024 key: error in the TLS profiles, warning in rfc5280', async () => {
  const cert = await issued(serverLeaf(), { key: 'rsa1024' })
  const expected = 'RSA key of 1024 bits; at least 2048 are required (BR 6.1.5, NIST SP 800-131A).'
  expect(judge(rule, contextFor(cert))).toEqual([{ severity: 'error', message: expected }])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls', role: 'root' }))).toEqual([
    { severity: 'error', message: expected },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([
    { severity: 'warning', message: expected },
  ])
})

test('Ed25519 keys are outside the BR but fine in a private PKI', async () => {
  const cert = await issued(serverLeaf(), { key: 'ed25519' })
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('Ed25519 key') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

/** A self-signed certificate for a key openssl generates with `keyOptions` (genpkey -algorithm RSA). */
function opensslRsaCert(keyOptions: string[]): Cert {
  const dir = tempDir()
  try {
    const key = join(dir, 'k.pem')
    const pem = join(dir, 'cert.pem')
    execFileSync('openssl', ['genpkey', '-algorithm', 'RSA', ...keyOptions, '-out', key], { stdio: 'ignore' })
    execFileSync(
      'openssl',
      ['req', '-x509', '-key', key, '-subj', '/CN=rsa.test', '-days', '30', '-out', pem],
      {
        stdio: 'ignore',
      },
    )
    const der = new Uint8Array(x509.PemConverter.decode(readFileSync(pem, 'utf8'))[0])
    return buildCert(der, { file: pem, line: 1, index: 0 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

test('an RSA modulus that is not a multiple of 8 bits fails under the BR (key made by openssl)', () => {
  const cert = opensslRsaCert(['-pkeyopt', 'rsa_keygen_bits:2052'])
  expect(cert.key).toMatchObject({ type: 'RSA', bits: 2052, exponent: 65537n })
  expect(judge(rule, contextFor(cert))).toEqual([
    {
      severity: 'error',
      message: 'RSA modulus of 2052 bits is not a multiple of 8, as the BR require (BR 6.1.5).',
    },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

/** An RSA-2048 SubjectPublicKeyInfo with the public exponent given: no library generates even or tiny ones. */
function rsaKeyWithExponent(exponent: number): Uint8Array {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const modulus = Buffer.from(publicKey.export({ format: 'jwk' }).n as string, 'base64url')
  const rsaKey = new RSAPublicKey({
    modulus: new Uint8Array([0, ...modulus]).buffer,
    publicExponent: new Uint8Array([exponent]).buffer,
  })
  const spki = new SubjectPublicKeyInfo({
    algorithm: new AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.1', parameters: null }),
    subjectPublicKey: AsnConvert.serialize(rsaKey),
  })
  return new Uint8Array(AsnConvert.serialize(spki))
}

test.each([
  [2, 'even'],
  [4, 'even'],
  [1, 'below 3'],
])('an RSA public exponent of %i (%s) is an error in every profile', async (exponent, why) => {
  const cert = await issued(serverLeaf(), { publicKey: rsaKeyWithExponent(exponent) })
  expect(cert.key).toMatchObject({ type: 'RSA', bits: 2048, exponent: BigInt(exponent) })
  const expected = [
    {
      severity: 'error',
      message: `RSA public exponent ${exponent} is ${why}: the key cannot be used safely, if at all (BR 6.1.6 requires an odd exponent of 3 or more).`,
    },
  ]
  for (const profile of ['public-tls', 'private-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toEqual(expected)
})

test('an RSA public exponent of 3 (openssl made the key) is a warning in public-tls, as BR 6.1.6 says SHOULD, and fine elsewhere', () => {
  const cert = opensslRsaCert(['-pkeyopt', 'rsa_keygen_bits:2048', '-pkeyopt', 'rsa_keygen_pubexp:3'])
  expect(cert.key).toMatchObject({ type: 'RSA', bits: 2048, exponent: 3n })
  expect(judge(rule, contextFor(cert))).toEqual([
    {
      severity: 'warning',
      message:
        'RSA public exponent 3 is outside 2^16+1 .. 2^256-1, the range the BR say it SHOULD be in (BR 6.1.6).',
    },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

// ROCA (CVE-2017-15361) vectors, published by the paper's authors in
// https://github.com/crocs-muni/roca: roca/tests/test_fingerprint.py lists
// which of its test files are fingerprinted ("positive_samples").

test("ROCA: the subgroups of 65537 match the published detector's table (crocs-muni/roca, roca/detect.py `prints`)", () => {
  // detect.py keeps, per prime r, a bitmask with bit x set for each x in the subgroup <65537> of (Z/rZ)*.
  const published = [
    6n,
    30n,
    126n,
    1026n,
    5658n,
    107286n,
    199410n,
    8388606n,
    536870910n,
    2147483646n,
    67109890n,
    2199023255550n,
    8796093022206n,
    140737488355326n,
    5310023542746834n,
    576460752303423486n,
    1455791217086302986n,
    147573952589676412926n,
    20052041432995567486n,
    6041388139249378920330n,
    207530445072488465666n,
    9671406556917033397649406n,
    618970019642690137449562110n,
    79228162521181866724264247298n,
    2535301200456458802993406410750n,
    1760368345969468176824550810518n,
    50079290986288516948354744811034n,
    473022961816146413042658758988474n,
    10384593717069655257060992658440190n,
    144390480366845522447407333004847678774n,
    2722258935367507707706996859454145691646n,
    174224571863520493293247799005065324265470n,
    696898287454081973172991196020261297061886n,
    713623846352979940529142984724747568191373310n,
    1800793591454480341970779146165214289059119882n,
    126304807362733370595828809000324029340048915994n,
    11692013098647223345629478661730264157247460343806n,
    187072209578355573530071658587684226515959365500926n,
  ]
  const ours = [...ROCA_SUBGROUPS.values()].map((members) =>
    [...members].reduce((mask, x) => mask | (1n << BigInt(x)), 0n),
  )
  expect(ours).toEqual(published)
})

test('ROCA: published moduli (crocs-muni/roca test data) are told apart', () => {
  // fingerprint/tests/data/mod01.txt: positive (a 512-bit RSALib modulus).
  const positive = BigInt(
    '0x944e13208a280c37efc31c3114485e590192adbb8e11c87cad60cdef0037ce99278330d3f471a2538fa667802ed2a3c44a8b7dea826e888d0aa341fd664f7fa7',
  )
  // roca/tests/data/mod03.txt: positive (2048 bits).
  const positive2048 = BigInt(
    '0x9dcd7420e420c270a68060eb8b5aa7457a9f6648f86fafed2775cc1f79ae962f1e63f1b9e51c55f9ea6fdc7332e9b0058c9ff2eb1fc89855029cf6aafe21e689feb38ac9ffb12f1ce371bb5d0e9aae64161abce74b4244bf68f1edb4411f756a097c8929c14740245ea355f8332d1aa36bb50c7dcb4505da8de02e4e53d38f8df06097da7524df0df93db48eac8cc4af2d3a16257eb2b2adca6ba464e5974fa92550d31b1babf161e7692d00b86e3dd886ecab4abfbe1a8f8cc263ff4af55cdb45f4249a5193925f5e983d762f0b6800943eb0267b08f42ed311ce1f5c86eacbc8ce4d3cb7a2fee1ef5641423a1cf4114e5ecf50034a60a412523af9e6f4aa11',
  )
  // roca/tests/data/mod04.txt: not among the positive samples.
  const negative = BigInt(
    '0xaf659676197f1db06da7ac111a0a0ec175b8b7ef07192ffcd1f6b854c327785f1a7fd3db7da45cd4a31b2b2e5ce0d823a68e28c8adf1747316becce1fe5768064039ad2062260c8d1a34e0586dce9bc13090fcc9fb8b8b2c08ed3ae8d61b29818a669689a7d9c1dab053b557fb8d3f9c44faad3e18c55e739b00d3c9126558bc8e980cd2af377126ef5b1374136774b8bd370e3c1c149db395c8f99696b628b105946fea20106fe24d103ac062661a9248e8c3f628e00b308d33953aabe555132e218e74ef4b578716b4fe7cf340e8e604a319bf6e9951e1942601d34291032db54999d09e5d036dde3544ad35256bbb97d5e3fffd38166c21eae9199548853b',
  )
  expect(hasRocaFingerprint(positive)).toBe(true)
  expect(hasRocaFingerprint(positive2048)).toBe(true)
  expect(hasRocaFingerprint(negative)).toBe(false)
})

test('ROCA: a vulnerable certificate (crocs-muni/roca csharp/RocaTest/data/cert04.pem) is a weak-key error in every profile', () => {
  const pem = `-----BEGIN CERTIFICATE-----
MIICpTCCAYwCCQC2u0PIfFaGMjANBgkqhkiG9w0BAQsFADAUMRIwEAYDVQQDDAls
b2NhbGhvc3QwHhcNMTcxMDE2MTkzODIxWhcNMTgxMDE2MTkzODIxWjAUMRIwEAYD
VQQDDAlsb2NhbGhvc3QwggEiMA0GCSqGSIb3DQEBAQUAA4IBDwAwggEKAoIBAQJZ
J7UrpeaMjJJou5IY83ZzYUymVBj0dFsUPNTuU/lJHJoOHC8jqVFjBq/784ZnuHG8
DMguYPW7Gp+hWlZxp2XJ8huVh9gBFZZDcqODyIOw3L9sd1cGsx6v8+P9SIVZoIze
og+al8TFm2uKjuykV9SoINSVCfdZM2MCvKGjaQsICRgR+Fjy6M6lpiNVrW4EHRk1
7aWSibWXaDtz4mV650v/x2Dk1RPMh9uTVZGOqgjTmLvl9oNdyHElIRubNrOgvHC5
k6bLP30stAYd5z25cslCrfmVW2/kzZDwDQiK7ASvH17/kfIa9e1EYXx9uAk/lTZt
smWAxK85neuU+bFBMFvhAgMBAAEwDQYJKoZIhvcNAQELBQADggECAAG7W49CYRUk
YAFRGXu3M85MKOISyc/kkJ8nbHdV6GxJ05FkoDKbcbZ7nncJiIp2VMAMEIP4bRTJ
5U4g4vSZlmCs8BDmV3Ts/tbDCM6eqK+2hwjhUnCnmmsLt4xVUeAAsWUHl9AVtjzd
oYlm1Kk20QBzNpsvM/gFS5B+duHvTSfELfoq9Pdfvmn2gEXJHe9scO8bfT3fm15z
R6AUYsSsxAhup2Rix6jgJ14KGsh6uVm6jhz9aBTBcgx7iMuuP8zUbUE6nryHYXnR
cSvuYSesTCoFfnL7elrZDak/n0jLfwUD80aWnReJfu9QQGdqdDnSG8lSQ1XPOC7O
/hFW9l0TCzOE
-----END CERTIFICATE-----`
  const cert = buildCert(new Uint8Array(x509.PemConverter.decode(pem)[0]), {
    file: 'cert04.pem',
    line: 1,
    index: 0,
  })
  const roca = {
    severity: 'error',
    message: expect.stringContaining('RSA modulus has the ROCA fingerprint (CVE-2017-15361)'),
  }
  for (const profile of ['public-tls', 'private-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toContainEqual(roca)
})

test('ROCA: an RSA key openssl makes has no fingerprint', () => {
  const cert = opensslRsaCert(['-pkeyopt', 'rsa_keygen_bits:2048'])
  expect(cert.key.modulus).toBeGreaterThan(2n ** 2047n)
  expect(judge(rule, contextFor(cert))).toEqual([])
})
