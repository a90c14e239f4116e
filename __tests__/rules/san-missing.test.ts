import * as x509 from '../../src/model/x509.js'
import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/san-missing.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const noSan = () => [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth()]

test('a leaf with a DNS name in its SAN passes', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toEqual([])
})

test('a leaf without SAN fails in public-tls and private-tls only', async () => {
  const cert = await issued(noSan())
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('No subjectAltName') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toHaveLength(1)
  expect(judge(rule, contextFor(cert, { profile: 'client-tls' }))).toEqual([])
  expect(judge(rule, contextFor(cert, { role: 'intermediate' }))).toEqual([])
})

test('a SAN with only an email address matches no host', async () => {
  const cert = await issued([
    ...noSan(),
    new x509.SubjectAlternativeNameExtension([{ type: 'email', value: 'ops@example.test' }]),
  ])
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('no dNSName') },
  ])
})
