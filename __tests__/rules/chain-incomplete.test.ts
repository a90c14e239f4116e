import { rule } from '../../src/rules/chain-incomplete.js'
import { webPki } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge } from './context.js'

test('a leaf whose intermediate is at hand passes; without it the missing issuer is named', async () => {
  const { root, intermediate, leaf } = await webPki()
  const complete = await pathOf(leaf, { pool: [intermediate], trust: [root] })
  expect(judge(rule, contextFor(leaf.model, { path: complete }))).toEqual([])

  const incomplete = await pathOf(leaf, { trust: [root] })
  expect(judge(rule, contextFor(leaf.model, { path: incomplete }))).toEqual([
    {
      severity: 'error',
      message: expect.stringMatching(/^no issuer found for CN=leaf\.test \(AKI .*--issuer$/),
    },
  ])
})
