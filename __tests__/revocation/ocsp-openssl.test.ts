// certgate against a real `openssl ocsp` responder on 127.0.0.1, compared
// with what `openssl ocsp` itself prints for the same certificates.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync } from 'node:fs'
import type { Revocation } from '../../src/model/types.js'
import { checkOcsp } from '../../src/revocation/ocsp/check.js'
import { revocationOptions, type RevocationOptions } from '../../src/revocation/types.js'
import {
  createOpensslPki,
  type LeafName,
  type OpensslPki,
  type ResponderKind,
} from '../helpers/openssl-pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'

let pki: OpensslPki
const LEAVES: LeafName[] = ['leaf-good', 'leaf-revoked', 'leaf-unknown']

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
})
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

interface OpensslVerdict {
  status: string
  thisUpdate?: string
  reason?: string
  revokedAt?: string
}

/** What `openssl ocsp -issuer … -cert … -url …` prints for each certificate. */
function opensslVerdicts(): Record<string, OpensslVerdict> {
  const out = pki.openssl([
    'ocsp',
    '-issuer',
    'intermediate.crt',
    ...LEAVES.flatMap((leaf) => ['-cert', `${leaf}.crt`]),
    '-url',
    `http://127.0.0.1:${pki.port}`,
    '-CAfile',
    'chain.pem',
  ])
  const verdicts: Record<string, OpensslVerdict> = {}
  const iso = (text: string): string => new Date(text).toISOString()
  for (const block of out.split(/^(?=leaf-)/m)) {
    const name = /^(leaf-[a-z]+)\.crt: (\w+)/.exec(block)
    if (!name) continue
    const field = (label: string): string | undefined => new RegExp(`${label}: (.+)`).exec(block)?.[1].trim()
    const revokedAt = field('Revocation Time')
    verdicts[name[1]] = {
      status: name[2],
      thisUpdate: field('This Update') && iso(field('This Update') as string),
      reason: field('Reason'),
      revokedAt: revokedAt && iso(revokedAt),
    }
  }
  return verdicts
}

const options = (overrides: Partial<RevocationOptions> = {}): RevocationOptions =>
  revocationOptions({ allowPrivateNetwork: true, timeoutMs: 5000, retries: 0, ...overrides })

describe.each<ResponderKind>(['delegated', 'ca'])('openssl ocsp responder signed by the %s', (kind) => {
  let responder: ServerProcess
  let expected: Record<string, OpensslVerdict>
  beforeAll(async () => {
    responder = await pki.startResponder(kind)
    expected = opensslVerdicts()
  })
  afterAll(() => stopProcess(responder))

  test.each(LEAVES)('%s: same status, reason and revocation time as openssl', async (leaf) => {
    const result = await checkOcsp(pki.leaves[leaf], pki.intermediate, options())
    const want = expected[leaf]
    expect(want.status).toBe(leaf.replace('leaf-', ''))
    expect(result).toMatchObject({ source: 'ocsp', status: want.status, url: `http://127.0.0.1:${pki.port}` })
    expect(result.reason).toBe(want.reason)
    expect(result.revokedAt).toBe(want.revokedAt)
    // Both answers are made "now" by the responder: a few seconds apart at most.
    expect(
      Math.abs(Date.parse(result.thisUpdate as string) - Date.parse(want.thisUpdate as string)),
    ).toBeLessThan(10_000)
  })

  test.each([
    { hash: 'sha256', ocspMethod: 'get', nonce: 'require' },
    { hash: 'sha1', ocspMethod: 'post', nonce: 'off' },
  ] as Partial<RevocationOptions>[])('revoked leaf with %o', async (variant) => {
    const result: Revocation = await checkOcsp(pki.leaves['leaf-revoked'], pki.intermediate, options(variant))
    expect(result).toMatchObject({ status: 'revoked', reason: 'keyCompromise' })
  })

  test('stale once --now passes nextUpdate', async () => {
    const later = new Date(Date.now() + 2 * 86_400_000)
    const result = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options({ now: later }))
    expect(result.status).toBe('stale')
    expect(result.detail).toMatch(/nextUpdate .* has passed/)
  })
})

describe('address policy on AIA URLs', () => {
  test('a 127.0.0.1 responder named by the certificate is refused without allowPrivateNetwork', async () => {
    const result = await checkOcsp(
      pki.leaves['leaf-good'],
      pki.intermediate,
      options({ allowPrivateNetwork: false }),
    )
    expect(result.status).toBe('unreachable')
    expect(result.detail).toMatch(/blocked-address.*--allow-private-network/)
  })
})
