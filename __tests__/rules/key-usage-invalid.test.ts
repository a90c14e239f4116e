import * as x509 from '../../src/model/x509.js'
import { ext } from '../helpers/pki.js'
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
