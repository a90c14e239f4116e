// OCSP responses in --cache-dir: a real `openssl ocsp` responder answers
// once, later runs reuse its signed answer while it verifies and is fresh,
// and anything else in the cache is thrown away and asked for again.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { ResponseCache } from '../../src/revocation/cache.js'
import { checkOcsp } from '../../src/revocation/ocsp/check.js'
import { revocationOptions, type RevocationOptions } from '../../src/revocation/types.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { tempDir } from '../helpers/pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'

const DAY = 86_400_000
let pki: OpensslPki
let cacheDir: string
let responder: ServerProcess | undefined

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
})
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))
beforeEach(async () => {
  cacheDir = tempDir('certgate-ocsp-cache-')
  responder = await pki.startResponder('delegated')
})
afterEach(async () => {
  if (responder) await stopProcess(responder)
  responder = undefined
  rmSync(cacheDir, { recursive: true, force: true })
})

const options = (overrides: Partial<RevocationOptions> = {}): RevocationOptions =>
  revocationOptions({ allowPrivateNetwork: true, timeoutMs: 5000, retries: 0, cacheDir, ...overrides })

async function stopResponder(): Promise<void> {
  await stopProcess(responder as ServerProcess)
  responder = undefined
}

/** The cached OCSP entries, as the cache's metadata names them. */
function cachedOcspKeys(): string[] {
  return readdirSync(cacheDir)
    .filter((name) => name.startsWith('ocsp-') && name.endsWith('.json'))
    .map((name) => (JSON.parse(readFileSync(join(cacheDir, name), 'utf8')) as { key: string }).key)
}

describe('OCSP responses in --cache-dir', () => {
  test('a verified answer is stored and reused once the responder is gone', async () => {
    const first = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    expect(first.status).toBe('good')
    expect(cachedOcspKeys()).toHaveLength(1)
    await stopResponder()

    const reused = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    expect(reused).toMatchObject({
      status: 'good',
      thisUpdate: first.thisUpdate,
      url: first.url,
      cached: true,
    })
    expect(first.cached).toBeUndefined()
    const uncached = await checkOcsp(
      pki.leaves['leaf-good'],
      pki.intermediate,
      options({ cacheDir: undefined }),
    )
    expect(uncached.status).toBe('unreachable')
  })

  test('a revoked answer is reused with its reason and time', async () => {
    const first = await checkOcsp(pki.leaves['leaf-revoked'], pki.intermediate, options())
    await stopResponder()
    const reused = await checkOcsp(pki.leaves['leaf-revoked'], pki.intermediate, options())
    expect(first).toMatchObject({ status: 'revoked', reason: 'keyCompromise' })
    expect(reused).toMatchObject({ status: 'revoked', reason: 'keyCompromise', revokedAt: first.revokedAt })
  })

  test('--nonce require never reuses a cached answer', async () => {
    await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    await stopResponder()
    const result = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options({ nonce: 'require' }))
    expect(result.status).toBe('unreachable')
  })

  test('a cached answer past its nextUpdate is discarded, not reused', async () => {
    await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    await stopResponder()
    // openssl ocsp -ndays 1: two days on, the answer is stale.
    const later = await checkOcsp(
      pki.leaves['leaf-good'],
      pki.intermediate,
      options({ now: new Date(Date.now() + 2 * DAY) }),
    )
    expect(later.status).toBe('unreachable')
    expect(cachedOcspKeys()).toHaveLength(0)
  })

  test('a cached answer about another certificate fails verification and is refetched', async () => {
    await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    const [key] = cachedOcspKeys()
    // Put leaf-revoked's genuine, correctly signed answer under leaf-good's key (digest kept consistent).
    const evidence = tempDir('certgate-ocsp-evidence-')
    await checkOcsp(
      pki.leaves['leaf-revoked'],
      pki.intermediate,
      options({ cacheDir: undefined, saveEvidenceDir: evidence }),
    )
    const revokedAnswer = new Uint8Array(
      readFileSync(join(evidence, `${pki.leaves['leaf-revoked'].sha256}.ocsp.der`)),
    )
    rmSync(evidence, { recursive: true, force: true })
    const cache = new ResponseCache(cacheDir)
    await cache.write('ocsp', key, revokedAnswer, { url: 'swapped', fetchedAt: new Date().toISOString() })
    expect((await cache.read('ocsp', key))?.body).toEqual(revokedAnswer)

    const result = await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())
    expect(result.status).toBe('good')
    expect((await cache.read('ocsp', key))?.body).not.toEqual(revokedAnswer)
    await stopResponder()
    expect((await checkOcsp(pki.leaves['leaf-good'], pki.intermediate, options())).status).toBe('good')
  })
})
