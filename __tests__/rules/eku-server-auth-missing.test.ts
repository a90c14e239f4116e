import { OID } from '../../src/model/cert.js'
import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/eku-server-auth-missing.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const leafWith = (...extensions: Parameters<typeof issued>[0]) =>
  issued([ext.notCa(), ext.leafKeyUsage(), ext.san('leaf.test'), ...extensions])

test('a leaf with serverAuth passes', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toEqual([])
})

test('a clientAuth-only leaf fails in public-tls and private-tls, not in client-tls or rfc5280', async () => {
  const cert = await leafWith(ext.eku(OID.clientAuth))
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining(OID.clientAuth) },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toHaveLength(1)
  expect(judge(rule, contextFor(cert, { profile: 'client-tls' }))).toEqual([])
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([])
})

test('anyExtendedKeyUsage counts in private-tls but not under the BR', async () => {
  const cert = await leafWith(ext.eku(OID.anyExtendedKeyUsage))
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('anyExtendedKeyUsage') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

test('a leaf without the extension: error under the BR, warning in private-tls', async () => {
  const cert = await leafWith()
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('No extendedKeyUsage') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([
    { severity: 'warning', message: expect.stringContaining('No extendedKeyUsage') },
  ])
})

test('CA certificates are not judged', async () => {
  const ca = await issued([ext.ca(0), ext.caKeyUsage()])
  expect(judge(rule, contextFor(ca, { role: 'intermediate' }))).toEqual([])
})
