// The OCSP front end that the tests and the demo use instead of `openssl ocsp
// -port` (which listens on every interface): it must answer as the openssl
// responder would, judged by openssl's own client (signature, statuses, nonce
// echo), over POST and both GET forms of RFC 6960 appendix A, and listen on
// 127.0.0.1 only.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpensslPki, type OpensslPki } from './openssl-pki.js'
import { expectLoopbackOnly, freePort, stopProcess, type ServerProcess } from './processes.js'

let pki: OpensslPki
let responder: ServerProcess
let url: string

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
  responder = await pki.startResponder('delegated')
  url = `http://127.0.0.1:${pki.port}`
})
afterAll(async () => {
  await stopProcess(responder)
  rmSync(pki.dir, { recursive: true, force: true })
})

/** `openssl ocsp` as the client, in the CA folder: exit status and everything it printed. */
function opensslClient(args: string[]): { status: number | null; out: string } {
  const run = spawnSync('openssl', ['ocsp', '-issuer', 'intermediate.crt', ...args], {
    cwd: pki.dir,
    encoding: 'utf8',
  })
  return { status: run.status, out: run.stdout + run.stderr }
}

/** The nonce an OCSP request or response carries, as `openssl ocsp -req_text/-resp_text` prints it. */
function nonceIn(text: string): string | undefined {
  return /OCSP Nonce:\s*\n\s*([0-9A-F]+)/.exec(text)?.[1]
}

test("openssl's client over POST: the signature verifies, each status is the index's, the nonce is echoed", () => {
  const { status, out } = opensslClient([
    ...['-cert', 'leaf-good.crt', '-cert', 'leaf-revoked.crt', '-cert', 'leaf-unknown.crt'],
    ...['-url', url, '-CAfile', 'chain.pem', '-reqout', 'post.req', '-respout', 'post.resp'],
  ])
  expect(status).toBe(0)
  expect(out).toContain('Response verify OK')
  expect(out).not.toMatch(/no nonce in response|Nonce Verify error/)
  expect(out).toMatch(/^leaf-good\.crt: good$/m)
  expect(out).toMatch(/^leaf-revoked\.crt: revoked\n[\s\S]*Reason: keyCompromise/m)
  expect(out).toMatch(/^leaf-unknown\.crt: unknown$/m)

  const request = opensslClient(['-reqin', 'post.req', '-req_text']).out
  const response = opensslClient(['-respin', 'post.resp', '-resp_text', '-noverify']).out
  expect(nonceIn(request)).toMatch(/^0410[0-9A-F]{32}$/)
  expect(nonceIn(response)).toBe(nonceIn(request))
})

test('a request without a nonce gets an answer without one, as from the openssl responder', () => {
  const { status, out } = opensslClient([
    ...['-cert', 'leaf-good.crt', '-no_nonce', '-url', url, '-CAfile', 'chain.pem'],
    ...['-respout', 'no-nonce.resp'],
  ])
  expect(status).toBe(0)
  expect(out).toMatch(/^leaf-good\.crt: good$/m)
  expect(nonceIn(opensslClient(['-respin', 'no-nonce.resp', '-resp_text', '-noverify']).out)).toBeUndefined()
})

test.each([
  ['percent-encoded', encodeURIComponent],
  ['raw', (base64: string) => base64],
])('GET with the request %s in the path (RFC 6960 A.1) gets the same verified answer', async (_, encode) => {
  opensslClient(['-cert', 'leaf-revoked.crt', '-no_nonce', '-reqout', 'get.req'])
  const base64 = spawnSync('openssl', ['base64', '-A', '-in', 'get.req'], { cwd: pki.dir, encoding: 'utf8' })
  const response = await fetch(`${url}/${encode(base64.stdout.trim())}`)
  expect(response.status).toBe(200)
  expect(response.headers.get('content-type')).toBe('application/ocsp-response')
  writeFileSync(join(pki.dir, 'get.resp'), Buffer.from(await response.arrayBuffer()))
  const { status, out } = opensslClient([
    '-cert',
    'leaf-revoked.crt',
    '-respin',
    'get.resp',
    '-CAfile',
    'chain.pem',
  ])
  expect(status).toBe(0)
  expect(out).toContain('Response verify OK')
  expect(out).toMatch(/^leaf-revoked\.crt: revoked$/m)
})

test('a request openssl cannot read gets malformedRequest, and the next request is answered', async () => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/ocsp-request' },
    body: new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]),
  })
  writeFileSync(join(pki.dir, 'malformed.resp'), Buffer.from(await response.arrayBuffer()))
  expect(opensslClient(['-respin', 'malformed.resp', '-resp_text', '-noverify']).out).toContain(
    'Responder Error: malformedrequest (1)',
  )
  const next = opensslClient(['-cert', 'leaf-good.crt', '-url', url, '-CAfile', 'chain.pem'])
  expect(next.out).toMatch(/^leaf-good\.crt: good$/m)
})

test('listens on 127.0.0.1 only, and the check that says so fails where nothing listens', async () => {
  expect(() => expectLoopbackOnly(pki.port)).not.toThrow()
  const idle = await freePort()
  expect(() => expectLoopbackOnly(idle)).toThrow(
    `port ${idle} must listen on 127.0.0.1 only; ss shows no listener`,
  )
})

// Last: it changes the index the other tests read.
test('a revocation in the index shows on the very next request', () => {
  pki.revoke('leaf-good.crt', 'superseded')
  const { out } = opensslClient(['-cert', 'leaf-good.crt', '-url', url, '-CAfile', 'chain.pem'])
  expect(out).toMatch(/^leaf-good\.crt: revoked\n[\s\S]*Reason: superseded/m)
})
