import { rule } from '../../src/rules/signature-invalid.js'
import { ext, issue } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge, passesOnValidChain } from './context.js'

test('a leaf signed by its intermediate passes; against a same-named CA with another key it fails', async () => {
  const { root, leaf } = await passesOnValidChain(rule)
  const rekeyed = await issue({
    cn: 'certgate Test Intermediate',
    issuer: root,
    extensions: [ext.ca()],
    noKeyIds: true,
  })
  const path = await pathOf(leaf, { pool: [rekeyed], trust: [root] })
  expect(judge(rule, contextFor(leaf.model, { path }))).toEqual([
    {
      severity: 'error',
      message:
        'the signature of CN=leaf.test does not verify with the key of CN=certgate Test Intermediate, and no issuer by that name was found whose key it verifies with',
    },
  ])
})
