import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/aia-ocsp-missing.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const ocsp = ext.aia(['http://ocsp.example.test'], ['http://ca.example.test/ca.crt'])
const crl = ext.crlDp('http://crl.example.test/ca.crl')
const caIssuersOnly = ext.aia([], ['http://ca.example.test/ca.crt'])

test('a leaf naming an OCSP responder passes', async () => {
  const cert = await issued([...serverLeaf(), ocsp, crl])
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('a leaf with only a CRL distribution point gets an info finding naming the CRL', async () => {
  const cert = await issued([...serverLeaf(), caIssuersOnly, crl])
  const found = judge(rule, contextFor(cert))
  expect(found).toHaveLength(1)
  expect(found[0].severity).toBe('info')
  expect(found[0].message).toContain('http://crl.example.test/ca.crl')
})

test('a leaf with neither OCSP nor CRL gets a warning', async () => {
  const cert = await issued([...serverLeaf(), caIssuersOnly])
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'warning', message: expect.stringContaining('no CRL') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toHaveLength(1)
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([])
})

test('Must-Staple certificates are left to must-staple-no-ocsp', async () => {
  const cert = await issued([...serverLeaf(), caIssuersOnly, ext.mustStaple()])
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('short-lived certificates need no revocation pointer', async () => {
  const cert = await issued([...serverLeaf(), caIssuersOnly], { days: 6 })
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('intermediates are judged in public-tls only', async () => {
  const cert = await issued([ext.ca(0), ext.caKeyUsage(), crl])
  expect(judge(rule, contextFor(cert, { role: 'intermediate' }))).toHaveLength(1)
  expect(judge(rule, contextFor(cert, { role: 'intermediate', profile: 'private-tls' }))).toEqual([])
})
