import { rule } from '../../src/rules/name-constraints-violated.js'
import { ext, issue } from '../helpers/pki.js'
import { pathOf, permitDns } from '../chain/fixtures.js'
import { contextFor, judge } from './context.js'

test('a name inside the permitted subtree passes; one outside fails', async () => {
  const root = await issue({
    cn: 'Constrained',
    extensions: [ext.ca(), ext.caKeyUsage(), permitDns('.corp.example')],
  })
  const inside = await issue({ cn: 'a', issuer: root, extensions: [ext.san('a.corp.example')] })
  expect(judge(rule, contextFor(inside.model, { path: await pathOf(inside, { trust: [root] }) }))).toEqual([])
  const outside = await issue({ cn: 'b', issuer: root, extensions: [ext.san('corp.example')] })
  expect(judge(rule, contextFor(outside.model, { path: await pathOf(outside, { trust: [root] }) }))).toEqual([
    { severity: 'error', message: 'dns name corp.example is outside the subtrees CN=Constrained permits' },
  ])
})
