import * as x509 from '../../src/model/x509.js'
import { ext, issue } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { rule } from '../../src/rules/key-usage-invalid.js'
import { contextFor, issued, judge } from './context.js'

const KU = x509.KeyUsageFlags
const DAY = 86_400_000
const leafWith = (ku: x509.Extension, ca = ext.notCa()) =>
  issued([ca, ku, ext.serverAuth(), ext.san('leaf.test')])

test('a critical digitalSignature keyUsage on an EC leaf and keyCertSign|cRLSign on a CA pass', async () => {
  expect(judge(rule, contextFor(await leafWith(ext.leafKeyUsage())))).toEqual([])
  const ca = await issued([ext.ca(0), ext.caKeyUsage()])
  expect(judge(rule, contextFor(ca, { role: 'intermediate' }))).toEqual([])
})

test('a CA without keyCertSign fails', async () => {
  const ca = await issued([ext.ca(0), ext.keyUsage(KU.cRLSign | KU.digitalSignature)])
  expect(judge(rule, contextFor(ca, { role: 'intermediate', profile: 'rfc5280' }))).toEqual([
    { severity: 'error', message: expect.stringContaining('lacks keyCertSign') },
  ])
})

test('a leaf asserting keyCertSign without cA fails in every profile', async () => {
  const cert = await leafWith(ext.keyUsage(KU.digitalSignature | KU.keyCertSign))
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([
    { severity: 'error', message: expect.stringContaining('keyCertSign but basicConstraints') },
  ])
})

test('an EC leaf with keyEncipherment: BR error in public-tls, RFC 5480 warning elsewhere', async () => {
  const cert = await leafWith(ext.keyUsage(KU.digitalSignature | KU.keyEncipherment))
  expect(judge(rule, contextFor(cert))).toEqual([
    {
      severity: 'error',
      message: expect.stringMatching(
        /keyEncipherment, not permitted in a subscriber certificate with an EC key/,
      ),
    },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([
    { severity: 'warning', message: expect.stringContaining('RFC 5480') },
  ])
})

test('an RSA leaf may assert keyEncipherment but not cRLSign under the BR', async () => {
  const ok = await issued([ext.notCa(), ext.keyUsage(KU.digitalSignature | KU.keyEncipherment)], {
    key: 'rsa2048',
  })
  expect(judge(rule, contextFor(ok))).toEqual([])
  const bad = await issued([ext.notCa(), ext.keyUsage(KU.digitalSignature | KU.cRLSign)], { key: 'rsa2048' })
  expect(judge(rule, contextFor(bad))).toEqual([
    { severity: 'error', message: expect.stringContaining('cRLSign') },
  ])
})

test('an EC leaf without digitalSignature fails under the BR', async () => {
  const cert = await leafWith(ext.keyUsage(KU.keyAgreement))
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('lacks digitalSignature') },
  ])
})

test('a non-critical keyUsage: error under the BR, warning otherwise and for older certificates', async () => {
  const cert = await leafWith(ext.keyUsage(KU.digitalSignature, false))
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('critical') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([
    { severity: 'warning', message: expect.stringContaining('SHOULD') },
  ])
  const notBefore = new Date('2022-01-01T00:00:00Z')
  const old = await issued([ext.notCa(), ext.keyUsage(KU.digitalSignature, false)], {
    notBefore,
    notAfter: new Date(notBefore.getTime() + 90 * DAY),
  })
  expect(judge(rule, contextFor(old))).toEqual([
    { severity: 'warning', message: expect.stringContaining('SHOULD') },
  ])
})

test('a keyUsage with no bit set fails in every profile (RFC 5280 §4.2.1.3)', async () => {
  const cert = await leafWith(ext.keyUsage(0))
  expect(cert.keyUsage).toEqual({ flags: 0, critical: true })
  for (const profile of ['public-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toEqual([
      {
        severity: 'error',
        message: 'keyUsage is present with no bit set; at least one MUST be (RFC 5280 §4.2.1.3).',
      },
    ])
})

test('RSA keys: keyAgreement is never allowed, data/keyEncipherment on an RSA CA is a warning (RFC 3279 §2.3.1)', async () => {
  const agreeing = await issued([ext.notCa(), ext.keyUsage(KU.digitalSignature | KU.keyAgreement)], {
    key: 'rsa2048',
  })
  const agreement =
    'keyUsage asserts keyAgreement for an RSA key, which RFC 3279 §2.3.1 does not allow (RSA has no key agreement).'
  // Reported once, by RFC 3279, also where the BR forbid the bit.
  expect(judge(rule, contextFor(agreeing))).toEqual([{ severity: 'error', message: agreement }])
  expect(judge(rule, contextFor(agreeing, { profile: 'private-tls' }))).toEqual([
    { severity: 'error', message: agreement },
  ])

  const decrypting = await issued(
    [ext.ca(0), ext.keyUsage(KU.keyCertSign | KU.cRLSign | KU.keyEncipherment)],
    { key: 'rsa2048' },
  )
  expect(judge(rule, contextFor(decrypting, { role: 'intermediate', profile: 'private-tls' }))).toEqual([
    {
      severity: 'warning',
      message:
        'keyUsage of an RSA keyCertSign/cRLSign key also asserts keyEncipherment, which RFC 3279 §2.3.1 says SHOULD NOT be: a signing CA key should not decrypt.',
    },
  ])
  const signing = await issued([ext.ca(0), ext.caKeyUsage()], { key: 'rsa2048' })
  expect(judge(rule, contextFor(signing, { role: 'intermediate' }))).toEqual([])
})

test('a leaf whose issuing CA lacks keyCertSign shows the failed path (RFC 5280 §6.1.4 (n))', async () => {
  const root = await issue({ cn: 'KU Root', extensions: [ext.ca(), ext.caKeyUsage()] })
  const ca = await issue({ cn: 'KU CA', issuer: root, extensions: [ext.ca(0), ext.keyUsage(KU.cRLSign)] })
  const leaf = await issue({ cn: 'leaf.test', issuer: ca, extensions: [ext.notCa(), ext.leafKeyUsage()] })
  const path = await pathOf(leaf, { pool: [ca], trust: [root] })
  expect(path.status).toBe('invalid')
  expect(judge(rule, contextFor(leaf.model, { path, profile: 'private-tls' }))).toEqual([
    {
      severity: 'error',
      message:
        'on its path: CN=KU CA issues certificates but its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3)',
    },
  ])
  const good = await issue({ cn: 'good.test', issuer: root, extensions: [ext.notCa(), ext.leafKeyUsage()] })
  const validPath = await pathOf(good, { trust: [root] })
  expect(judge(rule, contextFor(good.model, { path: validPath, profile: 'private-tls' }))).toEqual([])
})
