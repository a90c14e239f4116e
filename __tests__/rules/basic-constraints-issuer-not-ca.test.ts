import { rule } from '../../src/rules/basic-constraints-issuer-not-ca.js'
import { issue } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge, passesOnValidChain } from './context.js'

test('an issuer with cA TRUE passes; one without basicConstraints fails', async () => {
  const { root } = await passesOnValidChain(rule)
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
