// The floor for linting: what Node itself needs to read, parse and
// signature-check the same files, with no rules at all. certgate cannot be
// faster than this; the bench reports how far above it certgate runs.
// usage: node floor.js ROOT INTERMEDIATES DIR
import { X509Certificate } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [rootFile, intermediatesFile, dir] = process.argv.slice(2)
const root = new X509Certificate(readFileSync(rootFile))
const intermediates = readFileSync(intermediatesFile, 'utf8')
  .split(/(?=-----BEGIN CERTIFICATE-----)/)
  .map((pem) => new X509Certificate(pem))
let verified = intermediates.filter((c) => c.verify(root.publicKey)).length
let failed = intermediates.length - verified

for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  const file = join(entry.parentPath ?? entry.path, entry.name)
  if (!entry.isFile() || file === intermediatesFile) continue
  const cert = new X509Certificate(readFileSync(file))
  const issuer = intermediates.find((candidate) => cert.checkIssued(candidate))
  if (issuer && cert.verify(issuer.publicKey)) verified++
  else failed++
}
console.log(JSON.stringify({ verified, failed }))
process.exit(failed === 0 ? 0 : 1)
