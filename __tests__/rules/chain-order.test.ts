import { analyzeServedChain } from '../../src/chain/served.js'
import { rule } from '../../src/rules/chain-order.js'
import { webPki } from '../helpers/pki.js'
import { contextFor, judge } from './context.js'

test('a chain file in leaf-first order passes; one with the intermediate first fails once, on the first misplaced certificate', async () => {
  const { intermediate, leaf } = await webPki()
  const inOrder = [leaf.model, intermediate.model]
  expect(
    judge(rule, contextFor(leaf.model, { fileCerts: inOrder, served: analyzeServedChain(inOrder) })),
  ).toEqual([])

  const reversed = [intermediate.model, leaf.model]
  const served = analyzeServedChain(reversed)
  expect(
    judge(rule, contextFor(intermediate.model, { role: 'intermediate', fileCerts: reversed, served })),
  ).toEqual([
    {
      severity: 'error',
      message: expect.stringContaining('send 1, 0 (the leaf first'),
    },
  ])
  expect(judge(rule, contextFor(leaf.model, { fileCerts: reversed, served }))).toEqual([])
})
