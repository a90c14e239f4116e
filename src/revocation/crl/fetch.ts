// Fetching CRLs: one download and one parse per URL per run however many
// certificates name it, with the on-disk cache in front. A cached CRL is
// reused only after its signature verifies again and while it is fresh; a
// stale one is revalidated with If-None-Match / If-Modified-Since.
// Memory is bounded (`--crl-budget`): a CRL that fails verification is
// dropped as soon as it is read, and one that would take the CRLs held past
// the budget is not kept, and not used (`unreachable`, like one over
// `--crl-max-size`: the run could not use it, which says nothing against it).
import type { Cert } from '../../model/cert.js'
import { crlCacheKey, type ResponseCache } from '../cache.js'
import { indexCrl, type CrlIndex } from './entries.js'
import { crlSignatureProblem } from './signature.js'
import { HttpError, httpGet, type HttpResponse } from '../../net/http.js'
import type { RevocationOptions } from '../types.js'
import type { RollbackGuard } from '../rollback.js'

export type CrlLoaderOptions = Pick<
  RevocationOptions,
  | 'now'
  | 'nextUpdateMarginMs'
  | 'timeoutMs'
  | 'retries'
  | 'allowPrivateNetwork'
  | 'crlMaxBytes'
  | 'crlBudgetBytes'
  | 'deadline'
  | 'advise'
>

/** The CRL fails verification against the issuer (another issuer's name, a bad signature); its bytes are gone. */
export class CrlRejected extends Error {
  override name = 'CrlRejected'
}

/** Keeping the CRL would take the CRLs held by the run past `--crl-budget`. */
export class CrlOverBudget extends Error {
  override name = 'CrlOverBudget'
}

/**
 * Downloads and indexes CRLs, memoised per URL (and issuer) for the lifetime
 * of one run, within the run's CRL budget.
 */
export class CrlLoader {
  private readonly loads = new Map<string, Promise<CrlIndex>>()
  /** Requests actually sent, for the report and for tests of the cache. */
  downloads = 0
  /** Bytes of CRLs held now (verified ones, kept for the other certificates that name them). */
  heldBytes = 0
  /** The most bytes held at once this run: what --crl-budget bounds. */
  peakHeldBytes = 0
  /** CRLs dropped as soon as they were read because they failed verification. */
  released = 0
  /** URLs whose CRL came from the cache (fresh, or confirmed unchanged by HTTP 304): verdicts say so. */
  readonly fromCache = new Set<string>()

  constructor(
    private readonly options: CrlLoaderOptions,
    private readonly cache?: ResponseCache,
    private readonly rollback?: RollbackGuard,
  ) {}

  /**
   * The CRL at `url`, verified against `issuer` (its name and its signature).
   * Rejects with HttpError when it cannot be fetched, CrlParseError when the
   * bytes are not a CRL, CrlRejected when it fails verification and
   * CrlOverBudget when keeping it would pass --crl-budget. Memoised per
   * issuer too: whether a CRL verifies depends on the key it is checked with.
   */
  load(url: string, issuer: Cert): Promise<CrlIndex> {
    const key = `${issuer.sha256} ${url}`
    let pending = this.loads.get(key)
    if (!pending) {
      pending = this.fetch(url, issuer)
      this.loads.set(key, pending)
    }
    return pending
  }

  /** Lets go of every CRL held: the run's revocation checks are done. */
  releaseAll(): void {
    this.loads.clear()
    this.heldBytes = 0
  }

  private async fetch(url: string, issuer: Cert): Promise<CrlIndex> {
    const key = crlCacheKey(url)
    const cached = await this.cache?.read('crl', key)
    const reusable = cached ? this.verifiedCopy(cached.body, issuer) : undefined
    if (cached && !reusable) await this.cache?.remove('crl', key)
    // Another job sharing the cache may have seen a newer CRL than the one left here: fetch it.
    const behind = reusable && (await this.rollback?.isBehindCrl(issuer, url, reusable.crlNumber))
    if (reusable && this.isFresh(reusable) && !behind) {
      this.hold(url, reusable.der.byteLength)
      this.fromCache.add(url)
      return reusable
    }

    const headers: Record<string, string> = { accept: 'application/pkix-crl, application/x-pkcs7-crl, */*' }
    if (reusable && cached?.meta.etag) headers['if-none-match'] = cached.meta.etag
    if (reusable && cached?.meta.lastModified) headers['if-modified-since'] = cached.meta.lastModified
    let response: HttpResponse
    // A download is cut off where keeping it would pass the budget, not read whole first.
    const room = this.options.crlBudgetBytes - this.heldBytes
    const maxBytes = Math.min(this.options.crlMaxBytes, room)
    try {
      this.downloads++
      response = await httpGet(url, {
        timeoutMs: this.options.timeoutMs,
        retries: this.options.retries,
        maxBytes,
        // CRL DP URLs come from certificates: untrusted input (DESIGN.md, --allow-private-network).
        policy: 'untrusted',
        allowPrivateNetwork: this.options.allowPrivateNetwork,
        advise: this.options.advise,
        signal: this.options.deadline?.signal,
        headers,
      })
    } catch (error) {
      if (reusable && cached && error instanceof HttpError && error.status === 304) {
        await this.store(url, reusable, cached.meta.etag, cached.meta.lastModified)
        this.hold(url, reusable.der.byteLength)
        this.fromCache.add(url)
        return reusable
      }
      if (error instanceof HttpError && error.kind === 'too-large' && maxBytes < this.options.crlMaxBytes)
        throw this.overBudget(url, `more than ${formatBytes(maxBytes)}`)
      throw error
    }
    const crl = indexCrl(response.body)
    const problem = verificationProblem(crl, issuer)
    if (problem) {
      // Nothing refers to the bytes once this throws: a badly signed CRL is not kept for the run.
      this.released++
      throw new CrlRejected(`CRL ${url}: ${problem}`)
    }
    this.hold(url, crl.der.byteLength)
    await this.store(url, crl, header(response, 'etag'), header(response, 'last-modified'))
    return crl
  }

  /** Counts a verified CRL against the budget, or refuses it when it does not fit. */
  private hold(url: string, bytes: number): void {
    if (this.heldBytes + bytes > this.options.crlBudgetBytes) throw this.overBudget(url, formatBytes(bytes))
    this.heldBytes += bytes
    this.peakHeldBytes = Math.max(this.peakHeldBytes, this.heldBytes)
  }

  private overBudget(url: string, size: string): CrlOverBudget {
    return new CrlOverBudget(
      `CRL ${url} (${size}) not used: it would take the CRLs this run holds (${formatBytes(this.heldBytes)}) ` +
        `past the CRL budget of ${formatBytes(this.options.crlBudgetBytes)}; raise ${this.options.advise('crl-budget')}, ` +
        'or check fewer certificates of CAs with large CRLs per run',
    )
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

/** Why a CRL read from `issuer`'s distribution point cannot be its CRL (RFC 5280 §6.3.3 (b), (f), (g)). */
function verificationProblem(crl: CrlIndex, issuer: Cert): string | undefined {
  if (crl.issuerKey !== issuer.subjectKey) return `issued by another name than ${issuer.subject}`
  return crlSignatureProblem(crl, issuer)
}

/** "512 MiB", "94.1 MiB", "800 bytes". */
function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  return `${unit === 0 ? value : Number(value.toFixed(1))} ${units[unit]}`
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}
