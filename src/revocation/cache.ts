// On-disk cache of fetched OCSP responses and CRLs (`--cache-dir`), shared by
// runs and, through actions/cache, by parallel matrix jobs. Nothing read from
// it is trusted: callers verify every entry again exactly as if it had just
// been fetched, and a body that does not match the digest its metadata
// recorded is treated as absent. Writes go to a temporary file that is then
// renamed, so a reader in another job sees the old entry or the new one,
// never half of one.
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export type CacheKind = 'crl' | 'ocsp'

/** What is known about a cached body besides its bytes. */
export interface CacheMeta {
  /** The URL the body was fetched from. */
  url: string
  /** ETag and Last-Modified of that response, for conditional revalidation (RFC 9110 §13.1). */
  etag?: string
  lastModified?: string
  /** ISO time the body was fetched or last revalidated. */
  fetchedAt: string
  /** ISO nextUpdate read from the body when it was stored (a hint; callers re-read the body). */
  nextUpdate?: string
}

export interface CacheEntry {
  body: Uint8Array
  meta: CacheMeta
}

interface StoredMeta extends CacheMeta {
  kind: CacheKind
  key: string
  /** SHA-256 of the body file: a torn or edited body is detected and ignored. */
  sha256: string
}

/** Cache key of a CRL: its URL. */
export function crlCacheKey(url: string): string {
  return url
}

/** Cache key of an OCSP response: the responder URL and the request's CertID (DER, hex). */
export function ocspCacheKey(url: string, certIdHex: string): string {
  return `${url}\n${certIdHex.toLowerCase()}`
}

const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex')

/** Writes `data` to `path` through a temporary file in the same directory and a rename. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`
  try {
    await writeFile(temp, data)
    await rename(temp, path)
  } catch (error) {
    await rm(temp, { force: true })
    throw error
  }
}

export class ResponseCache {
  constructor(readonly dir: string) {}

  /** File names are a hash of kind and key: URLs never become paths. */
  private paths(kind: CacheKind, key: string): { body: string; meta: string } {
    const name = `${kind}-${sha256(`${kind}\0${key}`)}`
    return { body: join(this.dir, `${name}.der`), meta: join(this.dir, `${name}.json`) }
  }

  /** The stored entry, or undefined when absent, unreadable or not matching its recorded digest. */
  async read(kind: CacheKind, key: string): Promise<CacheEntry | undefined> {
    const paths = this.paths(kind, key)
    try {
      const stored = JSON.parse(await readFile(paths.meta, 'utf8')) as StoredMeta
      if (stored.kind !== kind || stored.key !== key) return undefined
      const body = new Uint8Array(await readFile(paths.body))
      if (sha256(body) !== stored.sha256) return undefined
      const { url, etag, lastModified, fetchedAt, nextUpdate } = stored
      return { body, meta: { url, etag, lastModified, fetchedAt, nextUpdate } }
    } catch {
      return undefined
    }
  }

  /**
   * Stores a body with its metadata. The body is renamed into place before
   * the metadata that names its digest, so a concurrent reader sees either a
   * matching pair or a digest mismatch (read as absent), never a wrong body.
   */
  async write(kind: CacheKind, key: string, body: Uint8Array, meta: CacheMeta): Promise<void> {
    const paths = this.paths(kind, key)
    await mkdir(this.dir, { recursive: true })
    const stored: StoredMeta = { ...meta, kind, key, sha256: sha256(body) }
    await writeFileAtomic(paths.body, body)
    await writeFileAtomic(paths.meta, JSON.stringify(stored, null, 2) + '\n')
  }

  /** Drops an entry that failed verification, so the next run does not read it again. */
  async remove(kind: CacheKind, key: string): Promise<void> {
    const paths = this.paths(kind, key)
    await rm(paths.meta, { force: true })
    await rm(paths.body, { force: true })
  }
}
