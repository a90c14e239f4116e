// The OCSP client libraries a Node user would pick instead of certgate,
// driven the way certgate works: every leaf file read, checked against the
// issuer at the OCSP URL its AIA names, CONCURRENCY checks in flight, each
// library with its defaults (signature checked; nonce where the library sends
// one). Prints how many leaves were good, revoked or failed, so the bench
// can check that the library got every answer right before counting its time.
// usage: node library-client.js LIBRARY ISSUER_PEM CONCURRENCY LEAF_PEM...
import { X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { inFlight } from '../lib/in-flight.js'

const require = createRequire(import.meta.url)
const [library, issuerFile, concurrency, ...leafFiles] = process.argv.slice(2)
const issuer = await readFile(issuerFile, 'utf8')

/** `check(cert, issuer)` → 'good' | 'revoked' | other status; throws when the library gives no answer. */
const CLIENTS = {
  // Both forks of indutny/ocsp: check() reports a revoked certificate as an error naming the status.
  '@techteamer/ocsp': callbackClient(require('@techteamer/ocsp')),
  ocsp: callbackClient(require('ocsp')),
  // easy-ocsp reads the OCSP URL itself only from a certificate whose AIA also names caIssuers,
  // which the bench leaves do not: it is given the URL the leaf names, read with node:crypto.
  'easy-ocsp': async () => {
    const { getCertStatus } = await import('easy-ocsp')
    return async (cert) => {
      const ocspUrl = /OCSP - URI:(\S+)/.exec(new X509Certificate(cert).infoAccess ?? '')?.[1]
      return (await getCertStatus(cert, { ca: issuer, ocspUrl, timeout: 10_000 })).status
    }
  },
}

function callbackClient(ocsp) {
  return async () => (cert) =>
    new Promise((resolve, reject) =>
      ocsp.check({ cert, issuer }, (error) => {
        const status = /^OCSP Status: (\w+)$/.exec(error?.message ?? '')?.[1]
        if (!error) resolve('good')
        else if (status) resolve(status)
        else reject(error)
      }),
    )
}

if (!CLIENTS[library])
  throw new Error(`unknown library ${library}; known: ${Object.keys(CLIENTS).join(', ')}`)
const check = await CLIENTS[library]()
const counts = { good: 0, revoked: 0, failed: 0 }
let firstError
await inFlight(leafFiles.length, Number(concurrency), async (i) => {
  const file = leafFiles[i]
  try {
    const status = await check(await readFile(file, 'utf8'))
    if (status === 'good' || status === 'revoked') counts[status]++
    else throw new Error(`${file}: ${status}`)
  } catch (error) {
    counts.failed++
    firstError ??= String(error?.message ?? error)
  }
})
console.log(JSON.stringify({ ...counts, ...(firstError ? { firstError } : {}) }))
