// Fuzzing the OCSP response path (ocsp-response.ts parse, ocsp-verify.ts
// judgement, staple-file.ts matching) through check(): responses made by
// `openssl ocsp` at test time, mutated, then judged as a stored staple file
// and as the answer of a live responder on 127.0.0.1. Any change to the
// response must fail the gate on that file or certificate: every byte of a
// response is either signed, names the signer, or frames what is signed.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
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
/** What the live responder answers with now; each run sets it before calling check(). */
let served: Uint8Array | undefined
/** Responses as openssl makes them: delegated responder (byName, embeds its certificate) and the CA itself (byKey, no certificates). */
const responses: Record<'delegated' | 'ca', Uint8Array> = {
  delegated: new Uint8Array(),
  ca: new Uint8Array(),
}
const base = new Map<string, FileOutcome>()

const common = () => ({
  profile: 'private-tls',
  trust: pki.path('root.crt'),
  issuer: pki.path('intermediate.crt'),
})
const stapleSettings = () => ({ ...common(), revocation: 'off' })
const liveSettings = () => ({
  ...common(),
  revocation: 'ocsp',
  'allow-private-network': true,
  retries: 0,
  timeout: '5s',
})

beforeAll(async () => {
  pki = await fuzzPki()
  scratch = new Scratch(tempDir('certgate-fuzz-ocsp-'))
  // A replay judges the responses the failed run made (openssl signs and dates each anew).
  if (!replaying()) {
    pki.staple('leaf-good', 'delegated.der', ['-ndays', 1])
    pki.openssl([
      ...['ocsp', '-index', 'index.txt', '-CA', 'intermediate.crt', '-rsigner', 'intermediate.crt'],
      ...['-rkey', 'intermediate.key', '-resp_key_id', '-resp_no_certs', '-ndays', '1'],
      ...['-reqin', 'delegated.der.req', '-respout', 'ca.der'],
    ])
  }
  responses.delegated = new Uint8Array(readFileSync(pki.path('delegated.der')))
  responses.ca = new Uint8Array(readFileSync(pki.path('ca.der')))
  server = await startBodyServer(pki.port, () => served)
  for (const signer of ['delegated', 'ca'] as const) {
    base.set(`staple ${signer}`, outcomeOf(await stapleRun(responses[signer]), 'leaf.ocsp'))
    base.set(`live ${signer}`, outcomeOf(await liveRun(responses[signer]), 'leaf.pem'))
  }
  // The unmutated responses are judged good, so every failure below is the mutation's doing.
  for (const outcome of base.values()) {
    expect(outcome.entry.revocation?.status ?? outcome.certificates[0].status).toBe('good')
  }
}, 60_000)
afterAll(async () => {
  await server?.close()
  rmSync(pki.dir, { recursive: true, force: true })
  rmSync(scratch.root, { recursive: true, force: true })
})

/** check() on the leaf and a stored response for it, as Caddy or nginx keep them. */
async function stapleRun(response: Uint8Array) {
  const dir = scratch.write('leaf.ocsp', response)
  writeFileSync(join(dir, 'leaf.pem'), readFileSync(pki.path('leaf-good.crt')))
  try {
    return await runCheck(stapleSettings(), ['.'], dir)
  } finally {
    scratch.remove(dir)
  }
}

/** check() on the leaf, its AIA responder (127.0.0.1) answering with `response`. */
async function liveRun(response: Uint8Array) {
  served = response
  const dir = scratch.write('leaf.pem', readFileSync(pki.path('leaf-good.crt')))
  try {
    return await runCheck(liveSettings(), ['.'], dir)
  } finally {
    scratch.remove(dir)
  }
}

const runs = fuzzRuns(60)
const signers = fc.constantFrom('delegated' as const, 'ca' as const)

describe('OCSP fuzz: mutated responses', () => {
  test(
    'a mutated stored response (.ocsp) fails the gate on its file',
    async () => {
      await fc.assert(
        fc.asyncProperty(signers, mutationsArbitrary, async (signer, mutations) => {
          const mutated = applyMutations(responses[signer], mutations)
          fc.pre(Buffer.compare(mutated, responses[signer]) !== 0)
          expectRejected(await stapleRun(mutated), 'leaf.ocsp', base.get(`staple ${signer}`)!, true)
        }),
        fuzzParameters(runs),
      )
    },
    propertyTimeout(runs),
  )

  test(
    'a mutated answer from the live responder fails the gate on the certificate asked about',
    async () => {
      await fc.assert(
        fc.asyncProperty(signers, mutationsArbitrary, async (signer, mutations) => {
          const mutated = applyMutations(responses[signer], mutations)
          fc.pre(Buffer.compare(mutated, responses[signer]) !== 0)
          expectRejected(await liveRun(mutated), 'leaf.pem', base.get(`live ${signer}`)!, true)
        }),
        fuzzParameters(runs),
      )
    },
    propertyTimeout(runs),
  )
})

describe('OCSP fuzz: random responses', () => {
  const randomRuns = fuzzRuns(30)
  test(
    'random bytes and random DER as a stored response or a live answer fail the gate',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.uint8Array({ maxLength: 2048 }), randomDerArbitrary),
          fc.boolean(),
          async (bytes, live) => {
            const report = live ? await liveRun(bytes) : await stapleRun(bytes)
            const { entry, certificates } = outcomeOf(report, live ? 'leaf.pem' : 'leaf.ocsp')
            expect(report.result).toBe('fail')
            expect(entry.failed || certificates.some((c) => c.failed)).toBe(true)
          },
        ),
        fuzzParameters(randomRuns),
      )
    },
    propertyTimeout(randomRuns),
  )
})
