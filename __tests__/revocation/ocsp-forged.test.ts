// Forged and broken responses from our own pkijs responder: each must end in
// the right status with a detail naming the cause, within its timeouts.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { webcrypto } from 'node:crypto'
import type { RevocationStatus } from '../../src/model/types.js'
import { checkOcsp } from '../../src/revocation/ocsp/check.js'
import { revocationOptions, type RevocationOptions } from '../../src/revocation/types.js'
import { startForgedResponder, type ForgedResponder, type Misbehaviour } from '../helpers/ocsp-responder.js'
import { ext, issue, webPki, type Issued } from '../helpers/pki.js'

const TIMEOUT_MS = 500
const RETRIES = 1
// A run may take timeout × attempts plus backoff; the jest timeout (3× that) fails a hang.
const HANG_LIMIT_MS = 3 * (TIMEOUT_MS * (RETRIES + 1) + 1000)
const OCSP_SIGNING = '1.3.6.1.5.5.7.3.9'

let intermediate: Issued
let responder: ForgedResponder

beforeAll(async () => {
  const pki = await webPki()
  intermediate = pki.intermediate
  const otherRoot = await issue({ cn: 'Unrelated Root', extensions: [ext.ca(), ext.caKeyUsage()] })
  const delegate = await issue({
    cn: 'Delegated responder',
    issuer: intermediate,
    extensions: [ext.notCa(), ext.leafKeyUsage(), ext.eku(OCSP_SIGNING), ext.ocspNoCheck()],
  })
  responder = await startForgedResponder({
    issuer: intermediate,
    unrelated: await issue({ cn: 'certgate Test Intermediate', extensions: [ext.ca(), ext.caKeyUsage()] }),
    delegatedWithoutEku: await issue({
      cn: 'Responder without EKU',
      issuer: intermediate,
      extensions: [ext.notCa(), ext.leafKeyUsage(), ext.ocspNoCheck()],
    }),
    foreignDelegate: await issue({
      cn: 'Foreign responder',
      issuer: otherRoot,
      extensions: [ext.notCa(), ext.leafKeyUsage(), ext.eku(OCSP_SIGNING), ext.ocspNoCheck()],
    }),
    delegateWithTwin: {
      delegate,
      unauthorisedTwin: await issue({
        cn: 'Delegated responder',
        issuer: intermediate,
        publicKey: new Uint8Array(await webcrypto.subtle.exportKey('spki', delegate.keys.publicKey)),
        extensions: [ext.notCa(), ext.leafKeyUsage(), ext.ocspNoCheck()],
      }),
    },
  })
})
afterAll(() => responder.close())

async function leafAnsweredBy(misbehaviour: Misbehaviour): Promise<Issued> {
  return issue({
    cn: `${misbehaviour}.test`,
    issuer: intermediate,
    extensions: [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth(), ext.aia([responder.url(misbehaviour)])],
  })
}

const options = (overrides: Partial<RevocationOptions> = {}): RevocationOptions =>
  revocationOptions({
    allowPrivateNetwork: true,
    timeoutMs: TIMEOUT_MS,
    retries: RETRIES,
    ocspMethod: 'post',
    ...overrides,
  })

describe('pkijs responder', () => {
  test('a correct response is good (the responder itself is sound)', async () => {
    const leaf = await leafAnsweredBy('good')
    const result = await checkOcsp(
      leaf.model,
      intermediate.model,
      options({ ocspMethod: 'get', nonce: 'require' }),
    )
    expect(result).toMatchObject({ status: 'good', source: 'ocsp' })
  })

  test('a failed GET names the responder, not the base64 request in its URL', async () => {
    const leaf = await leafAnsweredBy('reset')
    const result = await checkOcsp(leaf.model, intermediate.model, options({ ocspMethod: 'get' }))
    expect(result).toMatchObject({ status: 'unreachable', url: responder.url('reset') })
    expect(result.detail).toMatch(
      new RegExp(`^reset: ${responder.url('reset').replace(/\./g, '\\.')} \\(GET\\): connection closed`),
    )
    expect(result.detail).not.toMatch(/reset\/[A-Za-z0-9%+/=]{20,}/)
  })

  test('so does a GET refused before it is sent, where the URL is shown escaped', async () => {
    const leaf = await issue({
      cn: 'control-character.test',
      issuer: intermediate,
      extensions: [
        ext.notCa(),
        ext.leafKeyUsage(),
        ext.serverAuth(),
        ext.aia([`${responder.url('good')}\nx`]),
      ],
    })
    const result = await checkOcsp(leaf.model, intermediate.model, options({ ocspMethod: 'get' }))
    expect(result.status).toBe('unreachable')
    expect(result.detail).toBe(
      `bad-url: ${responder.url('good')}%0Ax (GET) contains a line break or control character, which no URL may (RFC 3986 §2); the certificate is malformed`,
    )
  })

  const cases: [Misbehaviour, RevocationStatus, RegExp][] = [
    ['forged-signer', 'invalid', /signature does not verify/],
    ['no-ocsp-eku', 'invalid', /not authorised: it lacks the id-kp-OCSPSigning/],
    ['foreign-signer', 'invalid', /not authorised: it was not issued by CN=certgate Test Intermediate/],
    ['wrong-serial', 'invalid', /CertID mismatch: the response answers for serial 123456/],
    ['wrong-nonce', 'invalid', /nonce mismatch/],
    ['future-this-update', 'invalid', /thisUpdate .* is in the future/],
    ['past-next-update', 'stale', /nextUpdate .* has passed/],
    ['garbage', 'invalid', /unreadable OCSP response/],
    ['huge', 'unreachable', /too-large: .*larger than 65536 bytes/],
    ['try-later', 'unreachable', /answered tryLater/],
    ['stall', 'unreachable', /timeout: .*no complete answer within 500 ms/],
    ['reset', 'unreachable', /reset: .*closed before the whole response arrived/],
    ['redirect-metadata', 'unreachable', /blocked-address: .*169\.254\.169\.254 is a cloud metadata address/],
  ]
  test.each(cases)(
    '%s → %s',
    async (misbehaviour, status, detail) => {
      const leaf = await leafAnsweredBy(misbehaviour)
      const result = await checkOcsp(leaf.model, intermediate.model, options())
      expect(result.status).toBe(status)
      expect(result.detail).toMatch(detail)
      expect(result.url).toBe(responder.url(misbehaviour))
    },
    HANG_LIMIT_MS,
  )

  test('an unauthorised certificate with the responder key, sent before the authorised one, does not hide the real revoked', async () => {
    const leaf = await leafAnsweredBy('unauthorised-twin-first')
    const result = await checkOcsp(leaf.model, intermediate.model, options())
    expect(result).toMatchObject({ source: 'ocsp', status: 'revoked' })
  })

  test('tryLater is retried before it is reported', async () => {
    const before = responder.hits.get('try-later') ?? 0
    const leaf = await leafAnsweredBy('try-later')
    await checkOcsp(leaf.model, intermediate.model, options({ retries: 2 }))
    expect((responder.hits.get('try-later') ?? 0) - before).toBe(3)
  })

  test('the next OCSP URL is tried when the first is unreachable', async () => {
    const leaf = await issue({
      cn: 'two-responders.test',
      issuer: intermediate,
      extensions: [ext.aia([responder.url('reset'), responder.url('good')])],
    })
    const result = await checkOcsp(leaf.model, intermediate.model, options())
    expect(result).toMatchObject({ status: 'good', url: responder.url('good') })
  })
})
