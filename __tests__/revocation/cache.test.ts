// The response cache on disk: round trip, names that never come from the URL,
// a torn or edited body read as absent; evidence files named by fingerprint.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ResponseCache, crlCacheKey, ocspCacheKey } from '../../src/revocation/cache.js'
import { saveEvidence } from '../../src/revocation/evidence.js'
import { tempDir } from '../helpers/pki.js'

let dir: string
beforeEach(() => (dir = tempDir('certgate-cache-')))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const meta = { url: 'http://crl.test/../../etc/passwd', etag: '"v1"', fetchedAt: new Date(0).toISOString() }

test('entries round-trip under hashed names, separately per kind and CertID', async () => {
  const cache = new ResponseCache(join(dir, 'cache'))
  await cache.write('crl', crlCacheKey(meta.url), new Uint8Array([1, 2, 3]), meta)
  await cache.write('ocsp', ocspCacheKey(meta.url, 'AABB'), new Uint8Array([4]), meta)
  expect(await cache.read('crl', crlCacheKey(meta.url))).toEqual({ body: new Uint8Array([1, 2, 3]), meta })
  expect((await cache.read('ocsp', ocspCacheKey(meta.url, 'aabb')))?.body).toEqual(new Uint8Array([4]))
  expect(await cache.read('ocsp', ocspCacheKey(meta.url, 'aabc'))).toBeUndefined()
  const names = readdirSync(join(dir, 'cache'))
  expect(names).toHaveLength(4)
  for (const name of names) expect(name).toMatch(/^(crl|ocsp)-[0-9a-f]{64}\.(der|json)$/)
})

test('a body that does not match its recorded digest is read as absent, and remove() drops the entry', async () => {
  const cache = new ResponseCache(dir)
  await cache.write('crl', 'k', new Uint8Array([1, 2, 3]), meta)
  const body = readdirSync(dir).find((n) => n.endsWith('.der'))!
  writeFileSync(join(dir, body), new Uint8Array([1, 2, 4]))
  expect(await cache.read('crl', 'k')).toBeUndefined()
  await cache.remove('crl', 'k')
  expect(readdirSync(dir)).toEqual([])
})

test('evidence is written as DER named by the certificate fingerprint', async () => {
  const sha256 = 'ab'.repeat(32)
  const path = await saveEvidence(join(dir, 'evidence'), { sha256 }, 'crl', new Uint8Array([0x30, 0x00]))
  expect(path).toBe(join(dir, 'evidence', `${sha256}.crl.der`))
  expect(readFileSync(path)).toEqual(Buffer.from([0x30, 0x00]))
})
