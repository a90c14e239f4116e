import { rule } from '../../src/rules/stapling-no-ocsp-url.js'
import { ext } from '../helpers/pki.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

test('stapling on for a certificate with an OCSP URL, or a configured responder or staple file, passes', async () => {
  const withUrl = await issued([...serverLeaf(), ext.aia(['http://ocsp.example.test/'])])
  expect(judgeBlock(rule, blockContextFor(withUrl, { stapling: at(true, 5) }))).toEqual([])
  const crlOnly = await issued([...serverLeaf(), ext.crlDp('http://crl.example.test/c.crl')])
  expect(
    rule.appliesTo(
      blockContextFor(crlOnly, { stapling: at(true, 5), staplingResponder: at('http://192.0.2.1/', 6) }),
    ),
  ).toBe(false)
})

test('stapling on for a CRL-only certificate is a warning on the stapling directive', async () => {
  const crlOnly = await issued([...serverLeaf(), ext.crlDp('http://crl.example.test/c.crl')])
  expect(judgeBlock(rule, blockContextFor(crlOnly, { software: 'apache', stapling: at(true, 5) }))).toEqual([
    {
      severity: 'warning',
      line: 5,
      message: expect.stringContaining(
        'SSLUseStapling is on for site.test, but CN=leaf.test names no OCSP responder',
      ),
    },
  ])
})
