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
      message: expect.stringMatching(
        /^no issuer found for CN=leaf\.test \(AKI .*\): CN=certgate Test Intermediate is not among the trust anchors or the scanned certificates; add the intermediate to the file or pass --issuer$/,
      ),
    },
  ])
})

// The common private-PKI mistake: leaf and intermediate committed, the root
// not passed. Advising --issuer first would only move the complaint to
// "self-signed root, not trusted"; the advice that ends it comes first.
test('above a CA the missing certificate is most often the root: --trust is advised first, then --issuer', async () => {
  const { intermediate, leaf } = await webPki()
  const noRoot = await pathOf(leaf, { pool: [intermediate] })
  const [finding] = judge(rule, contextFor(leaf.model, { path: noRoot }))
  expect(finding.message).toMatch(
    /^no issuer found for CN=certgate Test Intermediate \(AKI .*\): CN=certgate Test Root is not among the trust anchors or the scanned certificates; if it is your root, pass it with --trust; if it is an intermediate, add it to the file or pass --issuer$/,
  )
})
