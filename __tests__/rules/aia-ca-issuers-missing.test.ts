import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/aia-ca-issuers-missing.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('a leaf naming its issuer certificate passes', async () => {
  const cert = await issued([...serverLeaf(), ext.aia([], ['http://ca.example.test/ca.crt'])])
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('a leaf without id-ad-caIssuers gets a warning in public-tls only', async () => {
  const cert = await issued([...serverLeaf(), ext.aia(['http://ocsp.example.test'])])
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'warning', message: expect.stringContaining('BR 7.1.2.7.7') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

test('an intermediate without id-ad-caIssuers gets an info finding (BR: MAY)', async () => {
  const cert = await issued([ext.ca(0), ext.caKeyUsage()])
  expect(judge(rule, contextFor(cert, { role: 'intermediate' }))).toEqual([
    { severity: 'info', message: expect.stringContaining('BR 7.1.2.10.3') },
  ])
  expect(judge(rule, contextFor(cert, { role: 'root' }))).toEqual([])
})
