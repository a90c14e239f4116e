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
})
