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
  expect(cert.key).toEqual({ type: 'RSA', bits: 2052, exponent: 65537n })
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
  expect(cert.key).toEqual({ type: 'RSA', bits: 2048, exponent: 3n })
  expect(judge(rule, contextFor(cert))).toEqual([
    {
      severity: 'warning',
      message:
        'RSA public exponent 3 is outside 2^16+1 .. 2^256-1, the range the BR say it SHOULD be in (BR 6.1.6).',
    },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})
