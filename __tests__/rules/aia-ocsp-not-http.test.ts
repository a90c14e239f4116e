import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/aia-ocsp-not-http.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('an http:// OCSP URL passes', async () => {
  const cert = await issued([...serverLeaf(), ext.aia(['http://ocsp.example.test'])])
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('https:// and ldap:// OCSP URLs are each reported, as errors under the BR', async () => {
  const cert = await issued([
    ...serverLeaf(),
    ext.aia(['https://ocsp.example.test', 'http://ok.example.test', 'ldap://ocsp.example.test']),
  ])
  const found = judge(rule, contextFor(cert))
  expect(found.map((f) => f.severity)).toEqual(['error', 'error'])
  expect(found[0].message).toContain('"https://ocsp.example.test"')
  expect(found[1].message).toContain('"ldap://ocsp.example.test"')
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' })).map((f) => f.severity)).toEqual([
    'warning',
    'warning',
  ])
})

test('a certificate without OCSP URLs is not judged', async () => {
  const cert = await issued(serverLeaf())
  expect(rule.appliesTo(contextFor(cert))).toBe(false)
})
