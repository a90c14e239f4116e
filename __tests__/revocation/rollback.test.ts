// Rollback across runs sharing --cache-dir (DESIGN "Verdicts"): CRLs made by
// `openssl ca -gencrl` with chosen CRL numbers and OCSP responses made by
// `openssl ocsp` at two moments, served on 127.0.0.1. A run that has seen
// CRL 0x40 or a response produced at T refuses CRL 0x20 or one produced
// before T in a later run, though both verify; a run without that memory
// accepts them.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROLLBACK_STATE_FILE } from '../../src/revocation/rollback.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { derOfPem, tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { certificateEntry, runCheck } from '../helpers/run-check.js'

let pki: OpensslPki
let server: FileServer

const der = (path: string): Uint8Array => derOfPem(readFileSync(pki.path(path), 'utf8'))

/** `openssl ca -gencrl` numbered `number` (hex), valid for `validity` (['-crlhours', 1] …). */
function crlNumbered(number: string, validity: [string, number]): Uint8Array {
  writeFileSync(pki.path('crlnumber'), `${number}\n`)
  const out = `crl-${number}.crl`
  pki.openssl(['ca', '-config', 'openssl.cnf', '-gencrl', validity[0], String(validity[1]), '-out', out])
  return der(out)
}

const leaf = () => pki.leaves['leaf-good']
const run = (cacheDir: string, ...extra: string[]) =>
  runCheck(
    [
      '--allow-private-network',
      '--retries',
      '0',
      '--trust',
      pki.path('root.crt'),
      '--issuer',
      pki.path('intermediate.crt'),
      '--cache-dir',
      cacheDir,
      ...extra,
      pki.path('leaf-good.crt'),
    ],
    pki.dir,
  ).then((r) => ({ ...r, leaf: certificateEntry(r, leaf().sha256) }))

beforeAll(async () => {
  const port = await freePort()
  pki = createOpensslPki(port)
  server = await serveFiles(port)
})

afterAll(async () => {
  await server?.close()
  if (pki) rmSync(pki.dir, { recursive: true, force: true })
})

describe('CRL numbers', () => {
  test('a CRL numbered below one a previous run saw is invalid, naming both numbers and when', async () => {
    const cacheDir = tempDir('certgate-rollback-')
    // Valid for an hour: the second run's 2h margin makes the cached copy too old to reuse, so it fetches.
    server.set('/intermediate.crl', crlNumbered('40', ['-crlhours', 1]))
    const first = await run(cacheDir, '--revocation', 'crl', '--next-update-margin', '10m')
    expect(first.leaf.revocation.status).toBe('good')
    const state = JSON.parse(readFileSync(join(cacheDir, ROLLBACK_STATE_FILE), 'utf8'))
    expect(Object.values(state.crl)).toEqual([{ value: '40', seenAt: expect.any(String) }])

    server.set('/intermediate.crl', crlNumbered('20', ['-crldays', 7]))
    const second = await run(cacheDir, '--revocation', 'crl', '--next-update-margin', '2h')
    expect(server.requests('/intermediate.crl')).toBe(2)
    expect(second.leaf.revocation.status).toBe('invalid')
    expect(second.leaf.revocation.detail).toMatch(
      /CRL number 0x20 is lower than 0x40 seen at \d{4}-\d\d-\d\dT[\d:.]+Z: a replayed or rolled-back CRL/,
    )
    expect(second.code).toBe(1)

    // The same CRL is good for a run without that memory: the signature alone cannot tell.
    const fresh = await run(
      tempDir('certgate-rollback-'),
      '--revocation',
      'crl',
      '--next-update-margin',
      '2h',
    )
    expect(fresh.leaf.revocation.status).toBe('good')
  })

  test('a higher number moves the mark up, and the old one is refused after it', async () => {
    const cacheDir = tempDir('certgate-rollback-')
    server.set('/intermediate.crl', crlNumbered('41', ['-crlhours', 1]))
    expect(
      (await run(cacheDir, '--revocation', 'crl', '--next-update-margin', '10m')).leaf.revocation.status,
    ).toBe('good')
    server.set('/intermediate.crl', crlNumbered('0100', ['-crlhours', 1]))
    expect(
      (await run(cacheDir, '--revocation', 'crl', '--next-update-margin', '2h')).leaf.revocation.status,
    ).toBe('stale')
    server.set('/intermediate.crl', crlNumbered('42', ['-crldays', 7]))
    const replayed = await run(cacheDir, '--revocation', 'crl', '--next-update-margin', '2h')
    expect(replayed.leaf.revocation.detail).toMatch(/CRL number 0x42 is lower than 0x100 seen at/)
  })

  test('an unreadable state file is ignored and rewritten, never a crash', async () => {
    const cacheDir = tempDir('certgate-rollback-')
    writeFileSync(join(cacheDir, ROLLBACK_STATE_FILE), '{"crl": {"x": {"value": "zz"}}, "ocsp": 7')
    server.set('/intermediate.crl', crlNumbered('43', ['-crldays', 7]))
    const result = await run(cacheDir, '--revocation', 'crl')
    expect(result.leaf.revocation.status).toBe('good')
    expect(Object.values(JSON.parse(readFileSync(join(cacheDir, ROLLBACK_STATE_FILE), 'utf8')).crl)).toEqual([
      { value: '43', seenAt: expect.any(String) },
    ])
  })
})

describe('OCSP producedAt', () => {
  test('a response produced before one a previous run saw is invalid', async () => {
    const older = readFileSync(pki.staple('leaf-good', 'older.ocsp', ['-ndays', 1]))
    // producedAt has a resolution of one second.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    const newer = readFileSync(pki.staple('leaf-good', 'newer.ocsp', ['-nmin', 90]))
    const ocsp = { contentType: 'application/ocsp-response' }

    const cacheDir = tempDir('certgate-rollback-')
    server.set('*', { ...ocsp, body: newer })
    const first = await run(cacheDir, '--revocation', 'ocsp', '--nonce', 'off')
    expect(first.leaf.revocation).toMatchObject({ source: 'ocsp', status: 'good' })

    // The cached newer answer is within the 2h margin, so the second run asks again and gets the older one.
    server.set('*', { ...ocsp, body: older })
    const second = await run(cacheDir, '--revocation', 'ocsp', '--nonce', 'off', '--next-update-margin', '2h')
    expect(second.leaf.revocation.status).toBe('invalid')
    expect(second.leaf.revocation.detail).toMatch(
      new RegExp(
        `OCSP response produced at \\S+ is older than one produced at ${first.leaf.revocation.producedAt} ` +
          'seen at \\S+: a replayed or rolled-back response',
      ),
    )

    const fresh = await run(tempDir('certgate-rollback-'), '--revocation', 'ocsp', '--nonce', 'off')
    expect(fresh.leaf.revocation.status).toBe('good')
  })
})
