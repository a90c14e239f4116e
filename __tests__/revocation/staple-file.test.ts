// Stored staples: an openssl-made response file matched to its certificate,
// or judged alone against --issuer, as `openssl ocsp -respin` would.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { judgeStoredResponse } from '../../src/revocation/staple-file.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { checkFiles } from '../helpers/check-run.js'
import { freePort } from '../helpers/processes.js'

let pki: OpensslPki
let staple: Uint8Array
let options: ReturnType<typeof revocationOptions>

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
  pki.staple('leaf-revoked', 'staple.der', ['-ndays', 1])
  staple = new Uint8Array(readFileSync(pki.path('staple.der')))
  // The clock is read after the PKI exists: a responder certificate issued
  // this second is not yet valid at a time taken before it.
  options = revocationOptions()
})
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

describe('stored OCSP responses', () => {
  test('matched to the loaded certificate its CertID names', async () => {
    const verdict = await judgeStoredResponse(
      staple,
      [
        { cert: pki.leaves['leaf-good'], issuer: pki.intermediate },
        { cert: pki.leaves['leaf-revoked'], issuer: pki.intermediate },
      ],
      [],
      options,
    )
    expect(verdict.matched?.serial).toBe(pki.leaves['leaf-revoked'].serial)
    expect(verdict.revocation).toMatchObject({ source: 'staple', status: 'revoked', reason: 'keyCompromise' })
  })

  test('judged alone against --issuer when no certificate matches', async () => {
    const verdict = await judgeStoredResponse(staple, [], [pki.intermediate], options)
    expect(verdict.matched).toBeUndefined()
    expect(verdict.serial).toBe(pki.leaves['leaf-revoked'].serial)
    expect(verdict.revocation.status).toBe('revoked')
  })

  test('judged alone without an issuer it cannot be authenticated', async () => {
    const verdict = await judgeStoredResponse(staple, [], [], options)
    expect(verdict.revocation).toMatchObject({ source: 'staple', status: 'invalid' })
    expect(verdict.revocation.detail).toMatch(/pass --issuer/)
  })

  test('stale once --now passes its nextUpdate', async () => {
    const later = revocationOptions({ now: new Date(Date.now() + 3 * 86_400_000) })
    const verdict = await judgeStoredResponse(staple, [], [pki.intermediate], later)
    expect(verdict.revocation.status).toBe('stale')
  })

  test('a stored staple that is stale is staple-stale on its file, and fails the gate', async () => {
    copyFileSync(pki.path('staple.der'), pki.path('site.ocsp'))
    const judge = (now: Date) =>
      checkFiles(pki.dir, ['site.ocsp'], { issuer: pki.path('intermediate.crt'), now: now.toISOString() })
    const fresh = await judge(new Date())
    expect(fresh.files[0]).toMatchObject({ file: 'site.ocsp', findings: [] })
    const later = await judge(new Date(Date.now() + 3 * 86_400_000))
    expect(later.files[0].revocation?.status).toBe('stale')
    expect(later.files[0].findings).toEqual([
      {
        rule: 'staple-stale',
        severity: 'error',
        message: expect.stringMatching(
          /^the stored OCSP response is stale \(nextUpdate .*has passed.*\); whatever refreshes this file/,
        ),
      },
    ])
    expect(later.result).toBe('fail')
  })

  test('the same staple in 300 files is matched to its certificate in every one (judged once per content)', async () => {
    mkdirSync(pki.path('many'))
    copyFileSync(pki.path('leaf-revoked.crt'), pki.path('many/leaf.pem'))
    for (let i = 0; i < 300; i++) copyFileSync(pki.path('staple.der'), pki.path(`many/site-${i}.ocsp`))
    const report = await checkFiles(pki.dir, ['many'], { issuer: pki.path('intermediate.crt') })
    const staples = report.files.filter((f) => f.kind === 'ocsp-response')
    expect(staples).toHaveLength(300)
    for (const file of staples) expect(file.revocation).toMatchObject({ source: 'staple', status: 'revoked' })
    expect(report.certificates[0].revocation).toMatchObject({ source: 'staple', status: 'revoked' })
  })
})
