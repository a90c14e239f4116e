// `node scripts/fixtures.js DIR`: the demo PKI (a correct chain and one file
// per common mistake) written to DIR without starting any server, for the
// self-test workflow that runs the action on it with revocation off.
import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { buildDemoPki } from './demo-pki.js'

const dir = process.argv[2]
if (!dir) {
  console.error('usage: node scripts/fixtures.js DIR')
  process.exit(2)
}
await mkdir(resolve(dir), { recursive: true })
// Nothing answers at these URLs; the self-test checks with revocation off.
const pki = await buildDemoPki(resolve(dir), {
  ocspUrl: 'http://ocsp.demo.example.com',
  publishUrl: 'http://pki.demo.example.com',
})
console.log(
  `root: ${pki.root}\ngood chain: ${pki.goodChain}\nmistakes: ${pki.cases.length} files in ${pki.certsDir}`,
)
