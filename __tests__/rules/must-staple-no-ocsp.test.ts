import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/must-staple-no-ocsp.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('Must-Staple with an OCSP URL passes', async () => {
  const cert = await issued([...serverLeaf(), ext.mustStaple(), ext.aia(['http://ocsp.example.test'])])
  expect(judge(rule, contextFor(cert))).toEqual([])
})

test('Must-Staple without an OCSP URL is an error in every profile', async () => {
  const cert = await issued([...serverLeaf(), ext.mustStaple(), ext.crlDp('http://crl.example.test/c.crl')])
  for (const profile of ['public-tls', 'private-tls', 'client-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toEqual([
      { severity: 'error', message: expect.stringContaining('Must-Staple') },
    ])
})

test('certificates without the TLS Feature extension are not judged', async () => {
  expect(rule.appliesTo(contextFor(await issued(serverLeaf())))).toBe(false)
})
