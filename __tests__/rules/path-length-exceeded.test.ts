import { rule } from '../../src/rules/path-length-exceeded.js'
import { ext, issue } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'
import { contextFor, judge, passesOnValidChain } from './context.js'

test('pathLen 0 with a leaf below passes; with another CA below it fails', async () => {
  const { root, intermediate } = await passesOnValidChain(rule)
  const sub = await issue({ cn: 'Sub CA', issuer: intermediate, extensions: [ext.ca(), ext.caKeyUsage()] })
  const deep = await issue({ cn: 'deep.test', issuer: sub })
  const path = await pathOf(deep, { pool: [intermediate, sub], trust: [root] })
  expect(judge(rule, contextFor(deep.model, { path }))).toEqual([
    {
      severity: 'error',
      message:
        'CN=certgate Test Intermediate allows 0 intermediate CA(s) below it (pathLenConstraint) but the path has 1',
    },
  ])
})
