// The orchestrator: one request per (issuer, serial), statuses without a
// request for roots, `off` and unknown issuers, OCSP chosen in `auto`.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { createRevocationChecker } from '../../src/revocation/checker.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { startForgedResponder, type ForgedResponder } from '../helpers/ocsp-responder.js'
import { ext, issue, webPki, type Issued } from '../helpers/pki.js'

let pki: { root: Issued; intermediate: Issued; leaf: Issued }
let responder: ForgedResponder
let leaf: Issued

beforeAll(async () => {
  pki = await webPki()
  const unused = pki.intermediate
  responder = await startForgedResponder({
    issuer: pki.intermediate,
    unrelated: unused,
    delegatedWithoutEku: unused,
    foreignDelegate: unused,
  })
  leaf = await issue({
    cn: 'dedupe.test',
    issuer: pki.intermediate,
    extensions: [ext.notCa(), ext.aia([responder.url('good')])],
  })
})
afterAll(() => responder.close())

const options = revocationOptions({ allowPrivateNetwork: true, timeoutMs: 2000, retries: 0, concurrency: 2 })

describe('createRevocationChecker', () => {
  test('one OCSP request per (issuer, serial) however often it is asked', async () => {
    const checker = createRevocationChecker(options)
    const before = responder.hits.get('good') ?? 0
    const verdicts = await Promise.all(
      [1, 2, 3, 4].map(() => checker.check(leaf.model, pki.intermediate.model)),
    )
    expect(verdicts.map((v) => v.status)).toEqual(['good', 'good', 'good', 'good'])
    expect((responder.hits.get('good') ?? 0) - before).toBe(1)
  })

  test('roots, revocation off and unknown issuers are skipped with a reason', async () => {
    const checker = createRevocationChecker(options)
    expect(await checker.check(pki.root.model, undefined)).toMatchObject({
      status: 'skipped',
      detail: /trust anchor/,
    })
    expect(await checker.check(leaf.model, undefined)).toMatchObject({
      status: 'skipped',
      detail: /issuer was not found/,
    })
    const off = createRevocationChecker({ ...options, mode: 'off' })
    expect(await off.check(leaf.model, pki.intermediate.model)).toMatchObject({ status: 'skipped' })
  })

  test('--revocation crl on a leaf that names only OCSP, and ocsp on one that names only a CRL, are unreachable with the reason', async () => {
    const ocspOnly = await issue({
      cn: 'ocsp-only.test',
      issuer: pki.intermediate,
      extensions: [ext.notCa(), ext.aia([responder.url('good')])],
    })
    const crlOnly = await issue({
      cn: 'crl-only.test',
      issuer: pki.intermediate,
      extensions: [ext.notCa(), ext.crlDp('http://127.0.0.1:9/intermediate.crl')],
    })
    const none = await issue({ cn: 'none.test', issuer: pki.intermediate, extensions: [ext.notCa()] })
    const crl = createRevocationChecker({ ...options, mode: 'crl' })
    const ocsp = createRevocationChecker({ ...options, mode: 'ocsp' })
    const auto = createRevocationChecker(options)
    const issuer = pki.intermediate.model
    expect(await crl.check(ocspOnly.model, issuer)).toEqual({
      source: 'crl',
      status: 'unreachable',
      detail: `the certificate names no CRL distribution point, so --revocation crl cannot check it; it names only the OCSP responder ${responder.url('good')}`,
    })
    expect(await ocsp.check(crlOnly.model, issuer)).toEqual({
      source: 'ocsp',
      status: 'unreachable',
      detail:
        'the certificate names no OCSP responder, so --revocation ocsp cannot check it; it names only the CRL http://127.0.0.1:9/intermediate.crl',
    })
    expect(await crl.check(none.model, issuer)).toMatchObject({ status: 'unreachable' })
    // auto asks whichever source the certificate names, and skips one that names none.
    expect(await auto.check(ocspOnly.model, issuer)).toMatchObject({ source: 'ocsp', status: 'good' })
    expect(await auto.check(none.model, issuer)).toMatchObject({ status: 'skipped' })
  })
})
