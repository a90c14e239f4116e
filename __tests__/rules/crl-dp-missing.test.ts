import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/crl-dp-missing.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const crl = ext.crlDp('http://crl.example.test/ca.crl')
const ocsp = ext.aia(['http://ocsp.example.test'])

test('a subordinate CA with a CRL distribution point passes; without one it fails', async () => {
  const good = await issued([ext.ca(0), ext.caKeyUsage(), crl])
  const bad = await issued([ext.ca(0), ext.caKeyUsage()])
  expect(judge(rule, contextFor(good, { role: 'intermediate' }))).toEqual([])
  expect(judge(rule, contextFor(bad, { role: 'intermediate' }))).toEqual([
    { severity: 'error', message: expect.stringContaining('subordinate CA') },
  ])
  expect(judge(rule, contextFor(bad, { role: 'intermediate', profile: 'private-tls' }))).toEqual([])
})

test('a subscriber certificate needs a CRL distribution point only without OCSP', async () => {
  expect(judge(rule, contextFor(await issued([...serverLeaf(), ocsp])))).toEqual([])
  expect(judge(rule, contextFor(await issued([...serverLeaf(), crl])))).toEqual([])
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toHaveLength(1)
})

test('short-lived subscriber certificates are exempt', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf(), { days: 5 })))).toEqual([])
})

test('subscriber certificates issued before ballot SC-063 (2024-03-15) are not judged', async () => {
  const notBefore = new Date('2024-03-01T00:00:00Z')
  const cert = await issued(serverLeaf(), { notBefore, notAfter: new Date(notBefore.getTime() + 90 * DAY) })
  expect(judge(rule, contextFor(cert))).toEqual([])
})
