import { analyzeServedChain } from '../../src/chain/served.js'
import { rule } from '../../src/rules/chain-contains-root.js'
import { webPki } from '../helpers/pki.js'
import { contextFor, judge } from './context.js'

test('a served chain without its root passes; the included root is reported as info', async () => {
  const { root, intermediate, leaf } = await webPki()
  const withoutRoot = [leaf.model, intermediate.model]
  expect(
    judge(rule, contextFor(leaf.model, { fileCerts: withoutRoot, served: analyzeServedChain(withoutRoot) })),
  ).toEqual([])

  const withRoot = [leaf.model, intermediate.model, root.model]
  const served = analyzeServedChain(withRoot)
  expect(judge(rule, contextFor(root.model, { role: 'root', fileCerts: withRoot, served }))).toEqual([
    {
      severity: 'info',
      message: expect.stringContaining('includes the self-signed root CN=certgate Test Root'),
    },
  ])
  expect(judge(rule, contextFor(leaf.model, { fileCerts: withRoot, served }))).toEqual([])
})
