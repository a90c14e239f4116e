// Asking a certificate's OCSP responders (RFC 6960 §4.1, RFC 5019, RFC 9919):
// build, send, judge; one responder after another until one gives a usable
// answer. With --cache-dir, a verified answer is kept and reused by later
// runs while it is fresh, judged again each time as if just fetched.
import type { Cert } from '../../model/cert.js'
import type { Revocation } from '../../model/types.js'
import { ocspCacheKey, ResponseCache } from '../cache.js'
import { saveEvidence } from '../evidence.js'
import { HttpError, httpGet, httpPost, type HttpOptions, type HttpResponse } from '../../net/http.js'
import { buildOcspRequest, certIdDer, ocspGetUrl } from './request.js'
import { ocspResponseStatus } from './response.js'
import { judgeOcspResponse, type OcspJudgement } from './verify.js'
import type { CertIdHash, RevocationOptions } from '../types.js'
import type { RollbackGuard } from '../rollback.js'
import type { RevocationEvidence } from '../../model/evidence.js'
import { capUrls } from '../../net/url-cap.js'

/** RFC 5019 responses are small; anything bigger is not an OCSP response (DESIGN.md: 64 KiB cap). */
export const OCSP_MAX_BYTES = 64 * 1024
const OCSP_CONTENT_TYPE = 'application/ocsp-response'

const OTHER_HASH: Record<CertIdHash, CertIdHash> = { sha1: 'sha256', sha256: 'sha1' }

export interface OcspDeps {
  /** With --cache-dir: the newest producedAt seen per certificate. */
  rollback?: RollbackGuard
  /** Collects each verified response used, for the evidence rules. */
  evidence?: RevocationEvidence
}

/**
 * Asks each OCSP URL of `cert` in order and returns the first usable verdict
 * (anything but `unreachable`); when none answers, the last failure with the
 * reasons of all. The URLs come from the certificate, so they are fetched
 * under the untrusted address policy, at most MAX_URLS_PER_KIND of them
 * (the detail names the others), and none once the run's deadline passed.
 */
export async function checkOcsp(
  cert: Cert,
  issuer: Cert,
  options: RevocationOptions,
  deps: OcspDeps = {},
): Promise<Revocation> {
  if (cert.ocspUrls.length === 0) {
    const instead = cert.crlUrls.length ? `; it names only the CRL ${cert.crlUrls[0]}` : ''
    return {
      source: 'ocsp',
      status: 'unreachable',
      detail: `the certificate names no OCSP responder, so ${options.advise('revocation', 'ocsp')} cannot check it${instead}`,
    }
  }
  const { tried, untried } = capUrls(cert.ocspUrls, 'OCSP URL')
  const failures: string[] = []
  let last: Revocation | undefined
  for (const [i, url] of tried.entries()) {
    if (options.deadline?.signal.aborted) {
      last = { source: 'ocsp', status: 'unreachable', url }
      failures.push(options.deadline.reason(`asking ${tried.slice(i).join(', ')}`))
      break
    }
    last = await askResponder(url, cert, issuer, options, deps)
    if (last.status !== 'unreachable') return last
    failures.push(last.detail ?? url)
  }
  if (untried) failures.push(untried)
  return { ...(last as Revocation), detail: failures.join('; ') }
}

/**
 * One responder: some answer only SHA-1 CertIDs and others prefer SHA-256
 * (RFC 9919), so `unauthorized` or `malformedRequest` with one hash is
 * retried once with the other before it is judged.
 */
async function askResponder(
  url: string,
  cert: Cert,
  issuer: Cert,
  options: RevocationOptions,
  deps: OcspDeps,
): Promise<Revocation> {
  const cache = options.cacheDir ? new ResponseCache(options.cacheDir) : undefined
  const cached = cache && (await reuseCached(cache, url, cert, issuer, options, deps.rollback))
  if (cached) {
    if (options.saveEvidenceDir && cached.der)
      await saveEvidence(options.saveEvidenceDir, cert, 'ocsp', cached.der)
    return used({ ...cached.revocation, url, cached: true }, deps)
  }
  let judgement = await exchange(url, cert, issuer, options.hash, options)
  const refusal = judgement.facts?.responseStatus
  if (refusal === 'unauthorized' || refusal === 'malformedRequest') {
    const retried = await exchange(url, cert, issuer, OTHER_HASH[options.hash], options)
    if (retried.facts?.responseStatus === 'successful' || !retried.facts) judgement = retried
  }
  if (judgement.facts && judgement.der && options.saveEvidenceDir)
    await saveEvidence(options.saveEvidenceDir, cert, 'ocsp', judgement.der)
  if (isVerdict(judgement.revocation)) {
    const rollback = await deps.rollback?.checkOcsp(cert, judgement.revocation.producedAt, options.now)
    if (rollback) return { ...judgement.revocation, status: 'invalid', url, detail: rollback }
    if (cache) await store(cache, url, cert, issuer, judgement)
  }
  return used({ ...judgement.revocation, url }, deps)
}

/** Records an authentic answer (stale ones too: their window is still the responder's) for the evidence rules. */
function used(revocation: Revocation, deps: OcspDeps): Revocation {
  if (revocation.thisUpdate && (isVerdict(revocation) || revocation.status === 'stale'))
    deps.evidence?.ocsp.push({
      url: revocation.url,
      thisUpdate: new Date(revocation.thisUpdate),
      nextUpdate: revocation.nextUpdate ? new Date(revocation.nextUpdate) : undefined,
    })
  return revocation
}

async function exchange(
  url: string,
  cert: Cert,
  issuer: Cert,
  hash: CertIdHash,
  options: RevocationOptions,
): Promise<OcspJudgement & { der?: Uint8Array; hash: CertIdHash }> {
  const request = buildOcspRequest(cert, issuer, hash, options.nonce !== 'off')
  const http: HttpOptions = {
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    maxBytes: OCSP_MAX_BYTES,
    policy: 'untrusted',
    allowPrivateNetwork: options.allowPrivateNetwork,
    advise: options.advise,
    signal: options.deadline?.signal,
    headers: { Accept: OCSP_CONTENT_TYPE },
    isTransient: isTryLater,
  }
  let response: HttpResponse
  const getUrl = ocspGetUrl(url, request, options.ocspMethod)
  try {
    response = getUrl
      ? await httpGet(getUrl, http)
      : await httpPost(url, request.der, {
          ...http,
          headers: { ...http.headers, 'Content-Type': 'application/ocsp-request' },
        })
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    // A GET URL carries the whole request in base64 (RFC 6960 A.1): name the responder instead.
    // The request is the last path segment (base64 percent-encoded holds no '/'), also where the
    // message shows the rest of the URL escaped.
    const request = getUrl?.slice(getUrl.lastIndexOf('/'))
    const message = request ? error.message.split(request).join(' (GET)') : error.message
    // The deadline's message already says what happened: "run deadline of 15m reached before …".
    const detail = error.kind === 'deadline' ? message : `${error.kind}: ${message}`
    return { revocation: { source: 'ocsp', status: 'unreachable', detail }, hash }
  }
  const judgement = await judgeOcspResponse({
    der: response.body,
    issuers: [issuer],
    serial: cert.serial,
    request,
    options,
  })
  return { ...judgement, revocation: namingContentType(judgement, response), der: response.body, hash }
}

/**
 * An unreadable body that was not even labelled application/ocsp-response
 * (RFC 6960 §A.1) is usually a captive portal, proxy or error page answering
 * in the responder's place: saying what was served points the operator there.
 */
function namingContentType(judgement: OcspJudgement, response: HttpResponse): Revocation {
  const type = response.headers['content-type']?.split(';')[0].trim().toLowerCase()
  if (judgement.facts || type === OCSP_CONTENT_TYPE) return judgement.revocation
  const served = type ? `served as ${type}` : 'served without a content type'
  return {
    ...judgement.revocation,
    detail: `${judgement.revocation.detail} (${served}, not ${OCSP_CONTENT_TYPE}: a proxy or error page may be answering for the responder)`,
  }
}

/** An authenticated, current answer about the certificate: worth keeping and reusing. */
const isVerdict = (revocation: Revocation): boolean =>
  ['good', 'revoked', 'unknown'].includes(revocation.status)

/**
 * A cached response from `url` for `cert`, reused only when judged again now
 * exactly like a fetched one (signature, signer authority, CertID, times) and
 * still fresh; anything else is removed so it is fetched anew. A cached
 * answer echoes no nonce of ours, so `--nonce require` never reuses one
 * (RFC 6960 §4.4.1: only a fresh nonce proves the answer is not replayed).
 */
async function reuseCached(
  cache: ResponseCache,
  url: string,
  cert: Cert,
  issuer: Cert,
  options: RevocationOptions,
  rollback: RollbackGuard | undefined,
): Promise<(OcspJudgement & { der: Uint8Array }) | undefined> {
  if (options.nonce === 'require') return undefined
  for (const hash of [options.hash, OTHER_HASH[options.hash]]) {
    const key = ocspCacheKey(url, certIdDer(cert, issuer, hash).toString('hex'))
    const entry = await cache.read('ocsp', key)
    if (!entry) continue
    const judgement = await judgeOcspResponse({
      der: entry.body,
      issuers: [issuer],
      serial: cert.serial,
      options,
    })
    // Another job sharing the cache may have seen a newer answer than the one left here: ask again.
    const behind = await rollback?.isBehindOcsp(cert, judgement.revocation.producedAt)
    if (isVerdict(judgement.revocation) && !behind) return { ...judgement, der: entry.body }
    await cache.remove('ocsp', key)
  }
  return undefined
}

async function store(
  cache: ResponseCache,
  url: string,
  cert: Cert,
  issuer: Cert,
  judgement: { der?: Uint8Array; hash: CertIdHash; revocation: Revocation },
): Promise<void> {
  if (!judgement.der) return
  try {
    const key = ocspCacheKey(url, certIdDer(cert, issuer, judgement.hash).toString('hex'))
    await cache.write('ocsp', key, judgement.der, {
      url,
      fetchedAt: new Date().toISOString(),
      nextUpdate: judgement.revocation.nextUpdate,
    })
  } catch {
    // The cache only saves requests; a full or read-only cache dir must not change the verdict.
  }
}

/** tryLater (RFC 6960 §2.3) is the responder asking to be retried. */
function isTryLater(response: HttpResponse): boolean {
  return ocspResponseStatus(response.body) === 'tryLater'
}
