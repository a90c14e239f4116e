// Asking an ACME server's renewalInfo resource about one certificate (RFC
// 9773 §4.2): GET <renewalInfo URL>/<certID>, a JSON RenewalInfo object with
// a suggestedWindow and an optional explanationURL, and Retry-After saying
// when to ask again (§4.3.2). Named on the command line or in the workflow,
// the URL is the user's choice (any address but link-local and metadata);
// from a config file it is held to the policy of URLs in certificates.
import type { RenewalEvidence } from '../model/evidence.js'
import { HttpError, httpGet, type HttpResponse } from '../net/http.js'
import { isHttpUrl } from '../net/http-url.js'
import { ariCertId } from './cert-id.js'
import type { Cert } from '../model/cert.js'
import type { UrlPolicy } from '../net/address-policy.js'
import type { Advise } from '../setting-names.js'

/** A RenewalInfo object is a few hundred bytes; anything near this is not one. */
const MAX_BYTES = 64 * 1024

export interface RenewalInfoOptions {
  /** The renewalInfo base URL from the ACME directory (--ari). */
  baseUrl: string
  /** `user` when named on the command line or in the workflow, `untrusted` from a config file. */
  policy: UrlPolicy
  now: Date
  timeoutMs: number
  retries: number
  allowPrivateNetwork: boolean
  /** Names settings in messages the way the user can set them (the command line's flags unless given). */
  advise?: Advise
  /** The run's deadline (--deadline). */
  signal?: AbortSignal
}

/** The renewalInfo resource of `certId` under `base` (a trailing slash on the base is not doubled). */
export function renewalInfoUrl(base: string, certId: string): string {
  return `${base.replace(/\/+$/, '')}/${certId}`
}

/** What the CA's ACME server says about renewing `cert`; failures are a `problem`, never a throw. */
export async function askRenewalInfo(cert: Cert, options: RenewalInfoOptions): Promise<RenewalEvidence> {
  const certId = ariCertId(cert)
  if (!certId)
    return {
      url: options.baseUrl,
      problem:
        'the certificate has no Authority Key Identifier, which the ARI certID is made of (RFC 9773 §4.1)',
    }
  const url = renewalInfoUrl(options.baseUrl, certId)
  let response: HttpResponse
  try {
    response = await httpGet(url, {
      timeoutMs: options.timeoutMs,
      retries: options.retries,
      maxBytes: MAX_BYTES,
      policy: options.policy,
      allowPrivateNetwork: options.allowPrivateNetwork,
      advise: options.advise,
      signal: options.signal,
      headers: { accept: 'application/json' },
    })
  } catch (error) {
    if (!(error instanceof HttpError)) throw error
    return { url, problem: `no renewal information: ${error.message}` }
  }
  const retryAfter = parseRetryAfter(header(response, 'retry-after'), options.now)
  const parsed = parseRenewalInfo(response.body)
  return { url, ...parsed, ...(retryAfter ? { retryAfter } : {}) }
}

/** The suggestedWindow and explanationURL of a RenewalInfo object (RFC 9773 §4.2), or why it is unusable. */
export function parseRenewalInfo(body: Uint8Array): Omit<RenewalEvidence, 'url' | 'retryAfter'> {
  let json: unknown
  try {
    json = JSON.parse(Buffer.from(body).toString('utf8'))
  } catch {
    return { problem: 'the renewalInfo response is not JSON (RFC 9773 §4.2)' }
  }
  const window = (json as { suggestedWindow?: { start?: unknown; end?: unknown } } | null)?.suggestedWindow
  const start = typeof window?.start === 'string' ? new Date(window.start) : undefined
  const end = typeof window?.end === 'string' ? new Date(window.end) : undefined
  if (!start || !end || Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
    return {
      problem: 'the renewalInfo response has no suggestedWindow with RFC 3339 start and end (RFC 9773 §4.2)',
    }
  // §4.2: "end MUST be later than start"; a client treats anything else as invalid.
  if (end <= start)
    return {
      problem: `the suggestedWindow ends (${end.toISOString()}) before it starts (${start.toISOString()})`,
    }
  const explanation = (json as { explanationURL?: unknown }).explanationURL
  // Shown to the operator, so only a plain http(s) URL is.
  return { window: { start, end }, ...(isHttpUrl(explanation) ? { explanationUrl: explanation } : {}) }
}

/** Retry-After (RFC 9110 §10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): Date | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return new Date(now.getTime() + Number(trimmed) * 1000)
  const date = new Date(trimmed)
  return Number.isNaN(date.getTime()) ? undefined : date
}

function header(response: HttpResponse, name: string): string | undefined {
  const value = response.headers[name]
  return Array.isArray(value) ? value[0] : value
}
