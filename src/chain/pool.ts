import type { Cert } from '../model/cert.js'
import type { AnchorSource, IssuerFetcher } from './types.js'
import { decodeCertificates } from './decode.js'
import { capUrls } from '../net/url-cap.js'

/** A certificate offered as a possible issuer, with where it came from. */
export interface PoolEntry {
  cert: Cert
  source: AnchorSource
}

/**
 * Candidate issuers indexed by subject name: every certificate of the scan,
 * the --issuer certificates and whatever AIA caIssuers fetching brought in.
 * Being in the pool grants no trust; only TrustAnchors end a path.
 */
export class IssuerPool {
  private readonly bySubject = new Map<string, PoolEntry[]>()
  private readonly seen = new Set<string>()
  private readonly fetches = new Map<string, Promise<Cert[]>>()

  constructor(certs: Iterable<Cert> = [], source: AnchorSource = 'scan') {
    for (const cert of certs) this.add(cert, source)
  }

  /** Adds a certificate once (by sha256); the first source it was added with is kept. */
  add(cert: Cert, source: AnchorSource): void {
    if (this.seen.has(cert.sha256)) return
    this.seen.add(cert.sha256)
    const entries = this.bySubject.get(cert.subjectKey) ?? []
    entries.push({ cert, source })
    this.bySubject.set(cert.subjectKey, entries)
  }

  /** Certificates whose subject is the issuer name of `cert`. */
  candidatesFor(cert: Cert): readonly PoolEntry[] {
    return this.bySubject.get(cert.issuerKey) ?? []
  }

  /**
   * Fetches the caIssuers URLs of `cert` (at most MAX_URLS_PER_KIND, at
   * once; each once per pool; RFC 5280 §4.2.2.1: DER certificate or
   * certs-only PKCS#7; PEM accepted too) and adds what came back as
   * candidates, in the certificate's order. Failures just yield nothing: the
   * path then stays incomplete and says which issuer is missing.
   */
  async fetchIssuers(cert: Cert, fetchIssuer: IssuerFetcher): Promise<void> {
    const { tried } = capUrls(cert.caIssuersUrls, 'caIssuers URL')
    const fetched = await Promise.all(tried.map((url) => this.fetchOnce(url, fetchIssuer)))
    for (const issuer of fetched.flat()) this.add(issuer, 'aia')
  }

  /**
   * Starts fetching the caIssuers URLs of `cert` without adding anything:
   * paths are built one after another, and a later fetchIssuers then finds
   * the answer waiting instead of starting its request only then. What is
   * added, and in which order, stays as fetchIssuers decides.
   */
  prefetchIssuers(cert: Cert, fetchIssuer: IssuerFetcher): void {
    for (const url of capUrls(cert.caIssuersUrls, 'caIssuers URL').tried)
      void this.fetchOnce(url, fetchIssuer)
  }

  private fetchOnce(url: string, fetchIssuer: IssuerFetcher): Promise<Cert[]> {
    let fetched = this.fetches.get(url)
    if (!fetched) {
      fetched = fetchIssuer(url).then(
        (bytes) => (bytes ? decodeCertificates(bytes, url) : []),
        () => [],
      )
      this.fetches.set(url, fetched)
    }
    return fetched
  }
}
