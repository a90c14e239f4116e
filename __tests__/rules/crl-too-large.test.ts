import { MAX_CRL_BYTES, rule } from '../../src/rules/crl-too-large.js'
import { evidenceContextFor, issued, judge, serverLeaf } from './context.js'

const crl = (bytes: number) => ({ url: 'http://crl.test/big.crl', thisUpdate: new Date(), bytes })

test('10 MB passes, one byte more is reported with the URL and size', async () => {
  const cert = await issued(serverLeaf())
  const judged = (bytes: number) =>
    judge(rule, evidenceContextFor(cert, { revocation: { crls: [crl(bytes)], ocsp: [] } }))
  expect(judged(MAX_CRL_BYTES)).toEqual([])
  expect(judged(12_210_178)).toEqual([
    {
      severity: 'warning',
      message:
        'CRL http://crl.test/big.crl is 12.2 MB (12,210,178 bytes), over the 10 MB limit; a partitioned CRL (BR 7.2) keeps each download small.',
    },
  ])
})
