import { rule } from '../../src/rules/critical-extension-unsupported.js'
import * as x509 from '../../src/model/x509.js'
import { ext, issue } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge, passesOnValidChain } from './context.js'

test('critical keyUsage passes; an unknown critical extension and a critical AIA fail', async () => {
  const { root } = await passesOnValidChain(rule)
  const aia = ext.aia(['http://ocsp.example.test'])
  const odd = await issue({
    cn: 'odd.test',
    issuer: root,
    extensions: [
      new x509.Extension('1.2.3.4', true, new Uint8Array([5, 0])),
      new x509.Extension(aia.type, true, aia.value),
    ],
  })
  expect(judge(rule, contextFor(odd.model, { path: await pathOf(odd, { trust: [root] }) }))).toEqual([
    {
      severity: 'error',
      message: 'CN=odd.test has critical extension 1.2.3.4, which certgate does not process',
    },
    {
      severity: 'error',
      message: 'CN=odd.test marks authorityInfoAccess (RFC 5280 §4.2.2.1) critical, which it must not be',
    },
  ])
})
