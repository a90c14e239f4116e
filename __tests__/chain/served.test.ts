import { analyzeServedChain } from '../../src/chain/served.js'
import { ext, issue, webPki } from '../helpers/pki.js'

test('leaf then intermediate is a chain in order', async () => {
  const { intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, intermediate.model])
  expect(analysis).toEqual({ isChain: true, outOfOrder: new Map(), duplicateOf: new Map(), roots: [] })
})

test('an intermediate before its leaf is reported with where each belongs', async () => {
  const { intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([intermediate.model, leaf.model])
  expect(analysis.outOfOrder).toEqual(
    new Map([
      [1, 'certificate 1 (CN=leaf.test) is the end-entity certificate and should come first'],
      [0, 'certificate 0 (CN=certgate Test Intermediate) issues certificate 1 and should directly follow it'],
    ]),
  )
})

test('leaf, root, intermediate: the intermediate should follow the leaf and the root the intermediate', async () => {
  const { root, intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, root.model, intermediate.model])
  expect(analysis.outOfOrder).toEqual(
    new Map([
      [2, 'certificate 2 (CN=certgate Test Intermediate) issues certificate 0 and should directly follow it'],
      [1, 'certificate 1 (CN=certgate Test Root) issues certificate 2 and should directly follow it'],
    ]),
  )
  expect(analysis.roots).toEqual([1])
})

test('a full chain with its root is in order and names the root', async () => {
  const { root, intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, intermediate.model, root.model])
  expect(analysis.outOfOrder.size).toBe(0)
  expect(analysis.roots).toEqual([2])
})

test('a repeated certificate is a duplicate of its first copy and does not disturb the order', async () => {
  const { intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, leaf.model, intermediate.model])
  expect(analysis.duplicateOf).toEqual(new Map([[1, 0]]))
  expect(analysis.outOfOrder.size).toBe(0)
})

test('a bundle of unrelated roots is not a chain, nor is a single certificate', async () => {
  const a = await issue({ cn: 'Root A', extensions: [ext.ca(), ext.caKeyUsage()] })
  const b = await issue({ cn: 'Root B', extensions: [ext.ca(), ext.caKeyUsage()] })
  expect(analyzeServedChain([a.model, b.model])).toMatchObject({ isChain: false, roots: [] })
  expect(analyzeServedChain([a.model]).isChain).toBe(false)
  expect(analyzeServedChain([]).isChain).toBe(false)
})

test("a leaf with someone else's intermediate is not read as a chain", async () => {
  const first = await webPki()
  const second = await webPki()
  expect(analyzeServedChain([first.leaf.model, second.intermediate.model]).isChain).toBe(false)
})
