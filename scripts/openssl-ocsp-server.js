// `openssl ocsp` as an HTTP responder that listens on 127.0.0.1 only. The
// long-running `openssl ocsp -port N` listens on every interface of the
// machine (OpenSSL 3.0 has no host form for -port), so the tests and the demo
// put this small front end on loopback instead. Each request, POST body or
// GET path (RFC 6960 appendix A.1), goes to a file and is answered by one
// `openssl ocsp -index … -reqin FILE -respout FILE` run, so every answer is
// openssl's own. Two differences from the long-running responder, both in the
// tests' favour: the index is read afresh for every request (no stale first
// answer after `openssl ca -revoke`), and a request openssl cannot read gets a
// malformedRequest answer instead of the responder exiting (STACK-NOTES §8).
//
// As a process (tests start it so, so that a test blocked in a synchronous
// openssl call cannot starve it; stop it with SIGTERM):
//   node scripts/openssl-ocsp-server.js [--port N] -- <openssl ocsp responder arguments>
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/** OCSPResponse ::= SEQUENCE { responseStatus ENUMERATED } with no responseBytes (RFC 6960 §4.2.1). */
const statusOnly = (status) => Buffer.from([0x30, 0x03, 0x0a, 0x01, status])
const MALFORMED_REQUEST = statusOnly(1)
const INTERNAL_ERROR = statusOnly(2)

/** Far above any OCSP request (a CertID is under 100 bytes); a larger body is refused unread. */
const MAX_REQUEST_BYTES = 64 * 1024

/**
 * Starts the front end. `args` are `openssl ocsp`'s responder arguments
 * without -port, -reqin and -respout (e.g. -index, -CA, -rsigner, -rkey,
 * -ndays), run in `cwd`. Listens on 127.0.0.1:`port` (0: the OS picks).
 */
export async function startOpensslOcsp({ args, cwd, port = 0 }) {
  const scratch = await mkdtemp(join(tmpdir(), 'certgate-ocsp-'))
  const inFlight = new Set()
  let log = ''
  let count = 0

  async function respond(req, res) {
    const der = req.method === 'POST' ? await body(req) : req.method === 'GET' ? fromPath(req.url) : undefined
    if (der === undefined) return res.writeHead(405, { allow: 'GET, POST' }).end()
    if (der === null) return res.writeHead(413).end()
    const n = ++count
    const requestFile = join(scratch, `${n}.req.der`)
    const responseFile = join(scratch, `${n}.resp.der`)
    await writeFile(requestFile, der)
    const { code, stderr } = await run(
      ['ocsp', ...args, '-reqin', requestFile, '-respout', responseFile],
      cwd,
    )
    log += stderr
    const answer =
      code === 0
        ? await readFile(responseFile)
        : stderr.includes('Error reading OCSP request')
          ? MALFORMED_REQUEST
          : INTERNAL_ERROR
    res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': answer.length })
    res.end(answer)
  }

  const server = createServer((req, res) => {
    const job = respond(req, res).catch((error) => {
      log += `${error}\n`
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
    inFlight.add(job)
    job.finally(() => inFlight.delete(job))
  })
  await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const bound = server.address().port
  return {
    port: bound,
    url: `http://127.0.0.1:${bound}`,
    /** Requests answered so far. */
    requests: () => count,
    /** What openssl wrote to stderr, for failure messages. */
    output: () => log,
    /** Stops listening, waits for the openssl runs in flight, removes the request files. */
    async close() {
      const closed = new Promise((resolve) => server.close(() => resolve()))
      await Promise.all(inFlight)
      // Keep-alive connections idle now that every answer is sent.
      server.closeIdleConnections()
      await closed
      await rm(scratch, { recursive: true, force: true })
    },
  }
}

/** The request body, or null when it is larger than any OCSP request. */
function body(req) {
  return new Promise((resolve, reject) => {
    const chunks = []
    let size = 0
    req.on('data', (chunk) => {
      size += chunk.length
      if (size > MAX_REQUEST_BYTES) {
        req.destroy()
        resolve(null)
      } else chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * RFC 6960 A.1: GET {url}/{url-encoding of base-64 encoding of the DER
 * encoding of the OCSPRequest}. openssl accepts the base64 raw or
 * percent-encoded; so does this (a raw '/' of base64 stays in the path).
 */
function fromPath(url) {
  const encoded = (url ?? '/').replace(/^\/+/, '')
  try {
    return Buffer.from(decodeURIComponent(encoded), 'base64')
  } catch {
    return Buffer.alloc(0)
  }
}

/** Runs openssl and resolves with its exit code and stderr (never rejects on a non-zero exit). */
function run(args, cwd) {
  return new Promise((resolve) => {
    execFile('openssl', args, { cwd, encoding: 'utf8' }, (error, _stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stderr })
    })
  })
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values, positionals } = parseArgs({ options: { port: { type: 'string' } }, allowPositionals: true })
  const server = await startOpensslOcsp({
    args: positionals,
    cwd: process.cwd(),
    port: Number(values.port ?? 0),
  })
  console.log(`openssl ocsp answering on ${server.url}`)
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => {
      process.stderr.write(server.output())
      server.close().then(() => process.exit(0))
    })
  }
}
