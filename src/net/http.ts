// HTTP transport for revocation data (OCSP, CRLs). Built on node:http/https
// rather than fetch so the gate resolves each host itself, applies the
// address policy to the resolved address and pins that address for the
// connection: a DNS answer that changes between the check and the connect
// (DNS rebinding) cannot slip past the policy.
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import type { UrlPolicy } from './address-policy.js'
import { AddressRefused, resolveAllowed, type HostResolver, type ResolvedAddress } from './resolve.js'
import { abortMessage } from './deadline.js'
import { flagAdvice, type Advise } from '../setting-names.js'

export type { HostResolver, ResolvedAddress } from './resolve.js'

export type HttpErrorKind =
  | 'timeout'
  | 'refused'
  | 'reset'
  | 'too-large'
  | 'http-status'
  | 'blocked-address'
  | 'dns'
  | 'redirect-loop'
  | 'bad-url'
  | 'tls'
  | 'network'
  | 'deadline'

/** A request that produced no usable response; `message` is written for the operator. */
export class HttpError extends Error {
  constructor(
    readonly kind: HttpErrorKind,
    message: string,
    readonly url: string,
    readonly status?: number,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

export interface HttpOptions {
  /**
   * One attempt: DNS, connect, headers and body together, redirects included,
   * so a server answering each hop just in time cannot multiply the wait.
   */
  timeoutMs: number
  /** Extra attempts after network errors, 5xx and transient answers. */
  retries: number
  /** Larger bodies are cut off while streaming, never buffered whole. */
  maxBytes: number
  policy: UrlPolicy
  allowPrivateNetwork: boolean
  /** Names settings in messages the way the user can set them (the command line's flags unless given). */
  advise?: Advise
  headers?: Record<string, string>
  /**
   * A complete 2xx response that still means "ask again later" (OCSP
   * tryLater, RFC 6960 §2.3): retried like a 5xx; when retries run out the
   * last one is returned for the caller to judge.
   */
  isTransient?: (response: HttpResponse) => boolean
  /** How host names are resolved; the system resolver unless a test injects answers. */
  resolve?: HostResolver
  /**
   * The run's deadline (net/deadline.ts): once aborted no attempt starts, a
   * wait between attempts ends and the request in flight is cut off.
   */
  signal?: AbortSignal
}

export interface HttpResponse {
  status: number
  headers: http.IncomingHttpHeaders
  body: Uint8Array
  /** The URL that answered, after redirects. */
  url: string
}

/** At most this many redirects are followed, each re-checked by the address policy. */
export const MAX_REDIRECTS = 3
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const RETRYABLE_KINDS = new Set<HttpErrorKind>(['timeout', 'refused', 'reset', 'dns', 'network'])
const BACKOFF_BASE_MS = 200
/** C0 and C1 controls, DEL and the Unicode line and paragraph separators. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/
const UNPRINTABLE_ALL = new RegExp(UNPRINTABLE.source, 'g')

/** GET `url`, following redirects within the address policy, with retries, timeout and size cap. */
export function httpGet(url: string, options: HttpOptions): Promise<HttpResponse> {
  return withRetries('GET', url, undefined, options)
}

/** POST `body` to `url` with the same discipline as httpGet; redirects re-send the body. */
export function httpPost(url: string, body: Uint8Array, options: HttpOptions): Promise<HttpResponse> {
  return withRetries('POST', url, body, options)
}

async function withRetries(
  method: string,
  url: string,
  body: Uint8Array | undefined,
  options: HttpOptions,
): Promise<HttpResponse> {
  if (UNPRINTABLE.test(url)) {
    // new URL() would quietly drop a newline and fetch another URL than the certificate names; and
    // a newline echoed into a log line could start a CI workflow command (`::error ...`).
    const shown = url.replace(UNPRINTABLE_ALL, (ch) => encodeURIComponent(ch))
    throw new HttpError(
      'bad-url',
      `${shown} contains a line break or control character, which no URL may (RFC 3986 §2); the certificate is malformed`,
      shown,
    )
  }
  for (let attempt = 0; ; attempt++) {
    let waitMs: number
    if (options.signal?.aborted) throw deadlineError(url, options.signal)
    try {
      const response = await followRedirects(method, url, body, options)
      const serverError = response.status >= 500
      if (serverError || (isSuccess(response) && options.isTransient?.(response))) {
        if (attempt >= options.retries) {
          if (serverError) throw statusError(response)
          return response
        }
        waitMs = retryAfterMs(response, options.timeoutMs) ?? backoffMs(attempt, options.timeoutMs)
      } else if (!isSuccess(response)) {
        throw statusError(response)
      } else {
        return response
      }
    } catch (error) {
      const retryable = error instanceof HttpError && RETRYABLE_KINDS.has(error.kind)
      if (!retryable || attempt >= options.retries) throw error
      waitMs = backoffMs(attempt, options.timeoutMs)
    }
    await pause(waitMs, options.signal)
  }
}

/** Waits `ms`, or less when `signal` aborts first. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

function deadlineError(url: string, signal: AbortSignal): HttpError {
  return new HttpError('deadline', `${abortMessage(signal)} before ${url} answered`, url)
}

const isSuccess = (response: HttpResponse): boolean => response.status >= 200 && response.status < 300

function statusError(response: HttpResponse): HttpError {
  const hint = response.status >= 500 ? 'the server failed; retry later or contact the CA' : 'check the URL'
  return new HttpError(
    'http-status',
    `${response.url} answered HTTP ${response.status} (${hint})`,
    response.url,
    response.status,
  )
}

/** Exponential backoff with full jitter, never longer than one request's timeout. */
function backoffMs(attempt: number, timeoutMs: number): number {
  const ceiling = Math.min(timeoutMs, BACKOFF_BASE_MS * 2 ** attempt)
  return ceiling / 2 + Math.random() * (ceiling / 2)
}

/** Retry-After (RFC 9110 §10.2.3), seconds or an HTTP date, honoured up to the request timeout. */
function retryAfterMs(response: HttpResponse, timeoutMs: number): number | undefined {
  const value = response.headers['retry-after']
  if (!value) return undefined
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - Date.now()
  return Number.isFinite(ms) ? Math.max(0, Math.min(ms, timeoutMs)) : undefined
}

async function followRedirects(
  method: string,
  url: string,
  body: Uint8Array | undefined,
  options: HttpOptions,
): Promise<HttpResponse> {
  let current = url
  let policy = options.policy
  const deadline = performance.now() + options.timeoutMs
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(method, current, body, { ...options, policy }, deadline)
    const location = response.headers.location
    if (!REDIRECT_STATUSES.has(response.status) || !location) return response
    if (redirects >= MAX_REDIRECTS) {
      throw new HttpError(
        'redirect-loop',
        `${url}: more than ${MAX_REDIRECTS} redirects (last to ${location}); point the gate at the final URL`,
        url,
      )
    }
    current = new URL(location, current).toString()
    // The Location header is the server's word, not the user's.
    policy = 'untrusted'
  }
}

function parseTarget(url: string): URL {
  let target: URL
  try {
    target = new URL(url)
  } catch {
    throw new HttpError('bad-url', `${url} is not a valid URL`, url)
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new HttpError('bad-url', `${url}: only http and https URLs are fetched`, url)
  }
  return target
}

/** The address the policy allows for the URL's host, as an HttpError when there is none. */
async function allowedAddress(target: URL, url: string, options: HttpOptions): Promise<ResolvedAddress> {
  try {
    return await resolveAllowed(target.hostname, options)
  } catch (error) {
    if (error instanceof AddressRefused) throw new HttpError(error.kind, `${url}: ${error.message}`, url)
    throw error
  }
}

/** A lookup that always answers the address already checked by the policy. */
function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, lookupOptions: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (lookupOptions.all) callback(null, [pinned])
    else callback(null, pinned.address, pinned.family)
  }) as unknown as LookupFunction
}

function requestOnce(
  method: string,
  url: string,
  body: Uint8Array | undefined,
  options: HttpOptions,
  deadline: number,
): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    let request: http.ClientRequest | undefined
    let settled = false
    const settle = (error: HttpError | undefined, response?: HttpResponse): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', abort)
      request?.destroy()
      if (error) reject(error)
      else resolve(response as HttpResponse)
    }
    const timer = setTimeout(
      () =>
        settle(
          new HttpError(
            'timeout',
            `${url}: no complete answer within ${options.timeoutMs} ms (connect, headers, body and redirects); ` +
              `check that the server is up or raise ${(options.advise ?? flagAdvice)('timeout')}`,
            url,
          ),
        ),
      Math.max(0, deadline - performance.now()),
    )
    // The run's deadline cuts off the request in flight, not only the ones after it.
    const abort = (): void => settle(deadlineError(url, options.signal!))
    if (options.signal?.aborted) return abort()
    options.signal?.addEventListener('abort', abort, { once: true })

    const start = async (): Promise<void> => {
      const target = parseTarget(url)
      const pinned = await allowedAddress(target, url, options)
      if (settled) return
      const transport = target.protocol === 'https:' ? https : http
      request = transport.request(target, {
        method,
        agent: false,
        lookup: pinnedLookup(pinned),
        headers: { ...options.headers, ...(body ? { 'Content-Length': String(body.byteLength) } : {}) },
      })
      request.on('error', (error) => settle(networkError(error as NodeJS.ErrnoException, url)))
      request.on('response', (res) => {
        // Built only when needed: an Error captures a stack trace, a cost every response would pay.
        const tooLarge = (): HttpError =>
          new HttpError(
            'too-large',
            `${url}: response larger than ${options.maxBytes} bytes; refused to read further`,
            url,
          )
        if (Number(res.headers['content-length']) > options.maxBytes) return settle(tooLarge())
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (chunk: Buffer) => {
          size += chunk.length
          if (size > options.maxBytes) settle(tooLarge())
          else chunks.push(chunk)
        })
        res.on('end', () =>
          settle(undefined, {
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: new Uint8Array(Buffer.concat(chunks)),
            url,
          }),
        )
        const cutOff = (): void =>
          settle(
            new HttpError(
              'reset',
              `${url}: connection closed before the whole response arrived; retry later`,
              url,
            ),
          )
        res.on('error', cutOff)
        res.on('close', () => (res.complete ? undefined : cutOff()))
      })
      request.end(body)
    }
    start().catch((error: unknown) =>
      settle(error instanceof HttpError ? error : new HttpError('network', `${url}: ${String(error)}`, url)),
    )
  })
}

function networkError(error: NodeJS.ErrnoException, url: string): HttpError {
  const code = error.code ?? ''
  if (code === 'ECONNREFUSED') {
    return new HttpError('refused', `${url}: connection refused; is the server running on that port?`, url)
  }
  if (code === 'ECONNRESET' || code === 'EPIPE') {
    return new HttpError('reset', `${url}: connection reset by the server; retry later`, url)
  }
  if (code === 'ETIMEDOUT') return new HttpError('timeout', `${url}: connection timed out`, url)
  if (code.startsWith('ERR_TLS') || code.includes('CERT') || code.startsWith('ERR_SSL')) {
    return new HttpError('tls', `${url}: TLS handshake failed (${error.message})`, url)
  }
  return new HttpError('network', `${url}: ${error.message}`, url)
}
