// The responder's own ceiling, without Node's HTTP client: the same request
// as ceiling.js written as HTTP/1.1 straight to a TCP socket, one connection
// per request, `concurrency` in flight, the answer read until the responder
// closes and checked only for a 200 status line. It shows how much of
// ceiling.js's time is its client: a bench measurement, not a client to use
// (no header parsing, no size cap, no timeout).
// usage: node socket-ceiling.js URL REQUEST_DER COUNT CONCURRENCY
import { readFileSync } from 'node:fs'
import net from 'node:net'
import { inFlight } from '../lib/in-flight.js'

const [url, requestFile, count, concurrency] = process.argv.slice(2)
const target = new URL(url)
const encoded = encodeURIComponent(readFileSync(requestFile).toString('base64'))
const request = Buffer.from(
  `GET /${encoded} HTTP/1.1\r\nHost: ${target.host}\r\nAccept: application/ocsp-response\r\nConnection: close\r\n\r\n`,
)

function ask() {
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(target.port), target.hostname)
    const chunks = []
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')))
    socket.on('connect', () => socket.end(request))
    socket.on('data', (chunk) => chunks.push(chunk))
    socket.on('end', () => {
      const answer = Buffer.concat(chunks)
      if (/^HTTP\/1\.[01] 200 /.test(answer.subarray(0, 16).toString('latin1'))) resolve()
      else reject(new Error(`not a 200 answer: ${answer.subarray(0, 40).toString('latin1')}`))
    })
    socket.on('error', reject)
  })
}

await inFlight(Number(count), Number(concurrency), ask)
console.log(JSON.stringify({ answered: Number(count) }))
