// Fetching CRLs: one download and one parse per URL per run however many
// certificates name it, with the on-disk cache in front. A cached CRL is
// reused only after its signature verifies again and while it is fresh; a
// stale one is revalidated with If-None-Match / If-Modified-Since.
import type { Cert } from '../../model/cert.js'
import { crlCacheKey, type ResponseCache } from '../cache.js'
import { indexCrl, type CrlIndex } from './entries.js'
import { crlSignatureProblem } from './signature.js'
import { HttpError, httpGet, type HttpResponse } from '../../net/http.js'
import type { RevocationOptions } from '../types.js'
import type { RollbackGuard } from '../rollback.js'

export type CrlLoaderOptions = Pick<
  RevocationOptions,
  'now' | 'nextUpdateMarginMs' | 'timeoutMs' | 'retries' | 'allowPrivateNetwork' | 'crlMaxBytes'
>

/** Downloads and indexes CRLs, memoised per URL for the lifetime of one run. */
export class CrlLoader {
  private readonly loads = new Map<string, Promise<CrlIndex>>()
  /** Requests actually sent, for the report and for tests of the cache. */
  downloads = 0
  /** URLs whose CRL came from the cache (fresh, or confirmed unchanged by HTTP 304): verdicts say so. */
  readonly fromCache = new Set<string>()

  constructor(
    private readonly options: CrlLoaderOptions,
    private readonly cache?: ResponseCache,
    private readonly rollback?: RollbackGuard,
  ) {}

  /**
   * The CRL at `url`. Rejects with HttpError when it cannot be fetched and
   * CrlParseError when the bytes are not a CRL. `issuer` is the key a cached
   * copy must verify with before it is reused.
   */
  load(url: string, issuer: Cert): Promise<CrlIndex> {
    let pending = this.loads.get(url)
    if (!pending) {
      pending = this.fetch(url, issuer)
      this.loads.set(url, pending)
    }
    return pending
  }

  private async fetch(url: string, issuer: Cert): Promise<CrlIndex> {
    const key = crlCacheKey(url)
    const cached = await this.cache?.read('crl', key)
    const reusable = cached ? this.verifiedCopy(cached.body, issuer) : undefined
    if (cached && !reusable) await this.cache?.remove('crl', key)
    // Another job sharing the cache may have seen a newer CRL than the one left here: fetch it.
    const behind = reusable && (await this.rollback?.isBehindCrl(issuer, url, reusable.crlNumber))
    if (reusable && this.isFresh(reusable) && !behind) {
      this.fromCache.add(url)
      return reusable
    }

    const headers: Record<string, string> = { accept: 'application/pkix-crl, application/x-pkcs7-crl, */*' }
    if (reusable && cached?.meta.etag) headers['if-none-match'] = cached.meta.etag
    if (reusable && cached?.meta.lastModified) headers['if-modified-since'] = cached.meta.lastModified
    let response: HttpResponse
    try {
      this.downloads++
      response = await httpGet(url, {
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        maxBytes: this.options.crlMaxBytes,
        // CRL DP URLs come from certificates: untrusted input (DESIGN.md, --allow-private-network).
        policy: 'untrusted',
        allowPrivateNetwork: this.options.allowPrivateNetwork,
        headers,
      })
    } catch (error) {
      if (reusable && cached && error instanceof HttpError && error.status === 304) {
        await this.store(url, reusable, cached.meta.etag, cached.meta.lastModified)
        this.fromCache.add(url)
        return reusable
      }
      throw error
    }
    const crl = indexCrl(response.body)
    if (!crlSignatureProblem(crl, issuer)) {
      await this.store(url, crl, header(response, 'etag'), header(response, 'last-modified'))
    }
    return crl
  }

  /** The cached body as a CRL when it parses and its signature verifies with `issuer`'s key. */
  private verifiedCopy(body: Uint8Array, issuer: Cert): CrlIndex | undefined {
    try {
      const crl = indexCrl(body)
      return crl.issuerKey === issuer.subjectKey && !crlSignatureProblem(crl, issuer) ? crl : undefined
    } catch {
      return undefined
    }
  }

  private isFresh(crl: CrlIndex): boolean {
    return (
      crl.nextUpdate !== undefined &&
      crl.nextUpdate.getTime() - this.options.now.getTime() > this.options.nextUpdateMarginMs
    )
  }

  private async store(url: string, crl: CrlIndex, etag?: string, lastModified?: string): Promise<void> {
    if (!this.cache) return
    try {
      await this.cache.write('crl', crlCacheKey(url), crl.der, {
        url,
        etag,
        lastModified,
        fetchedAt: new Date().toISOString(),
        nextUpdate: crl.nextUpdate?.toISOString(),
      })
    } catch {
      // The cache only saves downloads; a full or read-only cache dir must not change the verdict.
    }
  }
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}
