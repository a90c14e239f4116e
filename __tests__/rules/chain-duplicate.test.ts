import { analyzeServedChain } from '../../src/chain/served.js'
import { rule } from '../../src/rules/chain-duplicate.js'
import { buildCert } from '../../src/model/build.js'
import { webPki } from '../helpers/pki.js'
import { contextFor, judge } from './context.js'

test('the second copy of a certificate in one file is reported, the first is not', async () => {
  const { intermediate, leaf } = await webPki()
  const copy = buildCert(leaf.der, { file: 'test.pem', line: 30, index: 1 })
  const file = [leaf.model, copy, intermediate.model]
  const served = analyzeServedChain(file)
  expect(judge(rule, contextFor(leaf.model, { fileCerts: file, served }))).toEqual([])
  expect(judge(rule, contextFor(copy, { fileCerts: file, served }))).toEqual([
    { severity: 'warning', message: 'certificate 1 (CN=leaf.test) repeats certificate 0; remove the copy' },
  ])
})
