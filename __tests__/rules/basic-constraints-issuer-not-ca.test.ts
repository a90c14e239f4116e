import { rule } from '../../src/rules/basic-constraints-issuer-not-ca.js'
import { issue, webPki } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge } from './context.js'

test('an issuer with cA TRUE passes; one without basicConstraints fails', async () => {
  const { root, intermediate, leaf } = await webPki()
  expect(
    judge(
      rule,
      contextFor(leaf.model, { path: await pathOf(leaf, { pool: [intermediate], trust: [root] }) }),
    ),
  ).toEqual([])
  const plain = await issue({ cn: 'Plain', issuer: root })
  const below = await issue({ cn: 'below.test', issuer: plain })
  expect(
    judge(rule, contextFor(below.model, { path: await pathOf(below, { pool: [plain], trust: [root] }) })),
  ).toEqual([
    {
      severity: 'error',
      message: 'CN=Plain issues CN=below.test but has no basicConstraints (RFC 5280 §6.1.4 (k))',
    },
  ])
})
