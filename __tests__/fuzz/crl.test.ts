// Fuzzing the CRL path (crl-index.ts DER walk, crl-signature.ts, crl.ts
// judgement) through check(): a CRL made by `openssl ca -gencrl` at test
// time, listing another certificate, is mutated and served from the leaf's
// CRL distribution point on 127.0.0.1. Any change must fail the gate on the
// leaf: the CRL is signed, and its framing is checked strictly.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync } from 'node:fs'
import fc from 'fast-check'
import type { OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import {
  expectRejected,
  fuzzPki,
  replaying,
  fuzzParameters,
  fuzzRuns,
  outcomeOf,
  propertyTimeout,
  runCheck,
  Scratch,
  startBodyServer,
  type FileOutcome,
} from './harness.js'
import { applyMutations, mutationsArbitrary, randomDerArbitrary } from './mutate.js'

let pki: OpensslPki
let scratch: Scratch
let server: { close(): Promise<void> }
/** What the distribution point serves now; each run sets it before calling check(). */
let served: Uint8Array | undefined
const crls: Record<'der' | 'pem', Uint8Array> = { der: new Uint8Array(), pem: new Uint8Array() }
const base = new Map<string, FileOutcome>()

const settings = () => ({
  profile: 'private-tls',
  trust: pki.path('root.crt'),
  issuer: pki.path('intermediate.crt'),
  revocation: 'crl',
  'allow-private-network': true,
  retries: 0,
  timeout: '5s',
})

beforeAll(async () => {
  pki = await fuzzPki()
  scratch = new Scratch(tempDir('certgate-fuzz-crl-'))
  // Entries with a reason make the index walk entry extensions too.
  // A replay judges the CRL the failed run made (openssl signs and dates each anew).
  if (!replaying()) {
    pki.revoke('leaf-revoked.crt', 'keyCompromise')
    pki.gencrl('intermediate.crl')
    pki.openssl(['crl', '-in', 'intermediate.crl', '-outform', 'DER', '-out', 'intermediate.crl.der'])
  }
  crls.pem = new Uint8Array(readFileSync(pki.path('intermediate.crl')))
  crls.der = new Uint8Array(readFileSync(pki.path('intermediate.crl.der')))
  server = await startBodyServer(pki.port, (path) => (path === '/intermediate.crl' ? served : undefined))
  for (const form of ['der', 'pem'] as const) {
    const outcome = outcomeOf(await crlRun(crls[form]), 'leaf.pem')
    // The unmutated CRL says the leaf is good, so every failure below is the mutation's doing.
    expect(outcome.certificates[0].status).toBe('good')
    base.set(form, outcome)
  }
}, 60_000)
afterAll(async () => {
  await server?.close()
  rmSync(pki.dir, { recursive: true, force: true })
  rmSync(scratch.root, { recursive: true, force: true })
})

async function crlRun(crl: Uint8Array) {
  served = crl
  const dir = scratch.write('leaf.pem', readFileSync(pki.path('leaf-good.crt')))
  try {
    return await runCheck(settings(), ['.'], dir)
  } finally {
    scratch.remove(dir)
  }
}

const runs = fuzzRuns(80)

describe('CRL fuzz', () => {
  test(
    'a mutated CRL (DER, or PEM as some CAs serve it) fails the gate on the certificate it was fetched for',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom('der' as const, 'pem' as const),
          mutationsArbitrary,
          async (form, mutations) => {
            const mutated = applyMutations(crls[form], mutations)
            fc.pre(Buffer.compare(mutated, crls[form]) !== 0)
            expectRejected(await crlRun(mutated), 'leaf.pem', base.get(form)!, form === 'der')
          },
        ),
        fuzzParameters(runs),
      )
    },
    propertyTimeout(runs),
  )

  test(
    'random bytes and random DER from the distribution point fail the gate',
    async () => {
      const randomRuns = fuzzRuns(30)
      await fc.assert(
        fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 2048 }), randomDerArbitrary), async (bytes) => {
          const report = await crlRun(bytes)
          expect(report.result).toBe('fail')
          expect(outcomeOf(report, 'leaf.pem').certificates[0]).toMatchObject({
            status: 'invalid',
            failed: true,
          })
        }),
        fuzzParameters(randomRuns),
      )
    },
    propertyTimeout(fuzzRuns(30)),
  )
})
