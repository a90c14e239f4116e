// The responder's ceiling: the same `openssl ocsp` responder driven with one
// pre-built request, `count` times with `concurrency` in flight, sent the way
// certgate sends (RFC 5019 GET, one connection per request as the responder
// answers HTTP/1.0 and closes), and the answer read but not verified. No
// client that has to build, send and check a request per certificate can be
// faster.
// usage: node ceiling.js URL REQUEST_DER COUNT CONCURRENCY
import { readFileSync } from 'node:fs'
import http from 'node:http'
import { inFlight } from '../lib/in-flight.js'

const [url, requestFile, count, concurrency] = process.argv.slice(2)
const encoded = encodeURIComponent(readFileSync(requestFile).toString('base64'))
const target = `${url.replace(/\/+$/, '')}/${encoded}`

function ask() {
  return new Promise((resolve, reject) => {
    const request = http.get(
      target,
      { agent: false, headers: { Accept: 'application/ocsp-response' } },
      (res) => {
        let size = 0
        res.on('data', (chunk) => (size += chunk.length))
        res.on('end', () =>
          res.statusCode === 200 && size > 0
            ? resolve()
            : reject(new Error(`HTTP ${res.statusCode}, ${size} bytes`)),
        )
        res.on('error', reject)
      },
    )
    request.setTimeout(10_000, () => request.destroy(new Error('no answer within 10 s')))
    request.on('error', reject)
  })
}

await inFlight(Number(count), Number(concurrency), ask)
console.log(JSON.stringify({ answered: Number(count) }))
