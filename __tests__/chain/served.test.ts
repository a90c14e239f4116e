import { analyzeServedChain } from '../../src/chain/served.js'
import { ext, issue, webPki } from '../helpers/pki.js'

test('leaf then intermediate is a chain in order', async () => {
  const { intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, intermediate.model])
  expect(analysis).toEqual({ isChain: true, outOfOrder: new Map(), duplicateOf: new Map(), roots: [] })
})

test('an intermediate before its leaf is one finding on the first misplaced certificate, naming the fix', async () => {
  const { intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([intermediate.model, leaf.model])
  expect(analysis.outOfOrder).toEqual(
    new Map([
      [
        0,
        'served chain out of order: certificate 0 (CN=certgate Test Intermediate) is where certificate 1 ' +
          "(CN=leaf.test) belongs; send 1, 0 (the leaf first, then each certificate's issuer)",
      ],
    ]),
  )
})

test('two leaves under one intermediate are a bundle, not a served chain', async () => {
  const { intermediate, leaf } = await webPki()
  const other = await issue({ cn: 'other.test', issuer: intermediate, extensions: [ext.notCa()] })
  const analysis = analyzeServedChain([leaf.model, other.model, intermediate.model])
  expect(analysis.isChain).toBe(false)
  expect(analysis.outOfOrder.size).toBe(0)
})

test('leaf, root, intermediate: the intermediate should follow the leaf and the root the intermediate', async () => {
  const { root, intermediate, leaf } = await webPki()
  const analysis = analyzeServedChain([leaf.model, root.model, intermediate.model])
  expect(analysis.outOfOrder).toEqual(
    new Map([
      [
        1,
        'served chain out of order: certificate 1 (CN=certgate Test Root) is where certificate 2 ' +
          "(CN=certgate Test Intermediate) belongs; send 0, 2, 1 (the leaf first, then each certificate's issuer)",
      ],
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
