// The CRL path of certgate on its own, bundled by the bench with ncc: the
// same loader (download over HTTP, DER index, signature check) and judge the
// CLI uses, without the lint work 10,000 certificates would add. Prints what
// each phase cost as JSON.
// usage: node driver.js URL ISSUER_PEM LEAF_PEM SERIALS_FILE EXPECTED_FOUND
import { readFileSync } from 'node:fs'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { CrlLoader } from '../../src/revocation/crl/fetch.js'
import { judgeCrl } from '../../src/revocation/crl/check.js'
import { revocationOptions } from '../../src/revocation/types.js'

const [url, issuerFile, leafFile, serialsFile, expectedFound] = process.argv.slice(2)

function certFrom(file: string): Cert {
  const pem = readFileSync(file, 'utf8')
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '')
  return buildCert(new Uint8Array(Buffer.from(body, 'base64')), { file, line: 1, index: 0 })
}

const issuer = certFrom(issuerFile)
const leaf = certFrom(leafFile)
const options = revocationOptions({ mode: 'crl', allowPrivateNetwork: true })
const loader = new CrlLoader(options)

/** Runs as a function, not top-level await: ncc transpiles this file alone and emits CommonJS. */
async function main(): Promise<void> {
  const started = performance.now()
  const crl = await loader.load(url, issuer)
  const loadedMs = performance.now() - started
  const verdict = judgeCrl(crl, url, leaf, issuer, options)
  const judgedMs = performance.now() - started - loadedMs
  if (verdict.status !== 'revoked')
    throw new Error(`the listed leaf was judged ${verdict.status}: ${verdict.detail}`)

  const serials = readFileSync(serialsFile, 'utf8').trim().split('\n')
  const lookupsStarted = performance.now()
  let found = 0
  for (const serial of serials) if (crl.find(serial)) found++
  const lookupsMs = performance.now() - lookupsStarted
  if (found !== Number(expectedFound))
    throw new Error(`found ${found} of the serials, expected ${expectedFound}`)

  console.log(
    JSON.stringify({
      entries: crl.size,
      bytes: crl.der.length,
      downloadIndexVerifyMs: loadedMs,
      judgeMs: judgedMs,
      lookups: serials.length,
      found,
      perLookupMs: lookupsMs / serials.length,
    }),
  )
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exitCode = 1
})
