// Issue 12: one flipped bit in the delegated responder certificate inside an
// OCSP response ended the whole run ("internal error: ... PEM routines::no
// start line"): our DER reader accepted the certificate, node:crypto's
// X509Certificate refused it, and the refusal escaped. Here every byte of
// that certificate, inside a real response from `openssl ocsp`, is damaged
// by one bit, and each damaged response is judged as a stored staple (all in
// one check() run) and as the answer of a responder on 127.0.0.1: every one
// must end as `invalid` on its item, with a detail, and nothing may throw.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { checkOcsp } from '../../src/revocation/ocsp/check.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { startBodyServer } from '../fuzz/harness.js'
import { checkFiles } from '../helpers/check-run.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'

let pki: OpensslPki
let response: Buffer
/** Where the embedded responder certificate's DER sits in the response. */
let certAt: number
let certLength: number

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  response = readFileSync(pki.staple('leaf-good', 'delegated.der', ['-ndays', 1]))
  certAt = response.indexOf(Buffer.from(pki.responder.der))
  certLength = pki.responder.der.length
  // The response is one a delegated responder signs and embeds its certificate in (byName).
  expect(certAt).toBeGreaterThan(0)
}, 60_000)
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

/** The response with one bit of the responder certificate's byte `offset` flipped (a different bit per byte). */
function damaged(offset: number): Buffer {
  const copy = Buffer.from(response)
  copy[certAt + offset] ^= 1 << (offset % 8)
  return copy
}

const offsets = (): number[] => Array.from({ length: certLength }, (_, i) => i)

describe('a damaged responder certificate inside an OCSP response', () => {
  test('as stored staples: every damaged response is invalid on its file, in one complete report', async () => {
    const dir = tempDir('certgate-responder-damage-')
    try {
      mkdirSync(join(dir, 'staples'))
      writeFileSync(join(dir, 'leaf.pem'), readFileSync(pki.path('leaf-good.crt')))
      for (const offset of offsets())
        writeFileSync(join(dir, 'staples', `at-${offset}.ocsp`), damaged(offset))
      const report = await checkFiles(dir, ['.'], {
        profile: 'private-tls',
        trust: pki.path('root.crt'),
        issuer: pki.path('intermediate.crt'),
        'soft-fail': true,
      })
      expect(report.result).toBe('fail')
      const staples = report.files.filter((f) => f.kind === 'ocsp-response')
      expect(staples).toHaveLength(certLength)
      for (const file of staples) {
        expect({ file: file.file, status: file.revocation?.status }).toEqual({
          file: file.file,
          status: 'invalid',
        })
        expect(file.revocation?.detail).toBeTruthy()
      }
      // The leaf the staples name carries the worst of them.
      expect(report.certificates.find((c) => c.file === 'leaf.pem')?.revocation.status).toBe('invalid')
      // The case of the issue: a certificate OpenSSL refuses is named as such.
      const details = staples.map((f) => f.revocation?.detail ?? '')
      expect(
        details.some((d) => /the responder certificate in the response cannot be parsed: /.test(d)),
      ).toBe(true)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 600_000)

  test('as the answer of a live responder: every damaged response is invalid for the certificate asked about', async () => {
    let served = response
    const server = await startBodyServer(pki.port, () => served)
    const options = revocationOptions({
      mode: 'ocsp',
      allowPrivateNetwork: true,
      retries: 0,
      timeoutMs: 5_000,
    })
    const statuses = new Map<string, number>()
    try {
      for (const offset of offsets()) {
        served = damaged(offset)
        const verdict = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options)
        expect({ offset, status: verdict.status }).toEqual({ offset, status: 'invalid' })
        expect(verdict.detail).toBeTruthy()
        statuses.set(verdict.status, (statuses.get(verdict.status) ?? 0) + 1)
      }
    } finally {
      await server.close()
    }
    expect(statuses.get('invalid')).toBe(certLength)
  }, 600_000)
})
