import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { HttpError, httpGet, httpPost, type HttpOptions } from '../../src/net/http.js'
import { getEventListeners } from 'node:events'
import { DeadlineReached, startDeadline } from '../../src/net/deadline.js'
import { freePort } from '../helpers/processes.js'

// A real HTTP peer on 127.0.0.1 whose behaviour each path selects.
let server: http.Server
let base: string
let flakyHits = 0
const handlers: Record<string, (req: http.IncomingMessage, res: http.ServerResponse) => void> = {
  '/ok': (_req, res) => res.end('hello'),
  '/echo': (req, res) => req.pipe(res),
  '/big': (_req, res) => {
    res.write(Buffer.alloc(1024 * 1024))
    res.end(Buffer.alloc(1024 * 1024))
  },
  '/stall': () => undefined,
  '/reset': (_req, res) => {
    res.writeHead(200, { 'Content-Length': '1000' })
    res.write(Buffer.alloc(100), () => res.socket?.destroy())
  },
  '/metadata': (_req, res) =>
    res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end(),
  '/loop': (_req, res) => res.writeHead(302, { Location: '/loop' }).end(),
  '/hop': (_req, res) => res.writeHead(307, { Location: '/echo' }).end(),
  '/flaky': (_req, res) => {
    flakyHits++
    if (flakyHits < 3) res.writeHead(503, { 'Retry-After': '0' }).end()
    else res.end('finally')
  },
  '/missing': (_req, res) => res.writeHead(404).end(),
}

beforeAll(async () => {
  server = http.createServer((req, res) => (handlers[req.url ?? ''] ?? handlers['/missing'])(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

const options = (overrides: Partial<HttpOptions> = {}): HttpOptions => ({
  timeoutMs: 1000,
  retries: 0,
  maxBytes: 64 * 1024,
  policy: 'untrusted',
  allowPrivateNetwork: true,
  ...overrides,
})

async function failure(promise: Promise<unknown>): Promise<HttpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(HttpError)
  return error as HttpError
}

describe('http transport', () => {
  test('GET and POST return status, body and final URL', async () => {
    const got = await httpGet(`${base}/ok`, options())
    expect([got.status, Buffer.from(got.body).toString()]).toEqual([200, 'hello'])
    const posted = await httpPost(`${base}/hop`, new Uint8Array([1, 2, 3]), options())
    expect([...posted.body]).toEqual([1, 2, 3])
    expect(posted.url).toBe(`${base}/echo`)
  })

  test('loopback is refused for untrusted URLs without allowPrivateNetwork, allowed for user URLs', async () => {
    const error = await failure(httpGet(`${base}/ok`, options({ allowPrivateNetwork: false })))
    expect(error.kind).toBe('blocked-address')
    expect(error.message).toMatch(/127\.0\.0\.1 is a loopback or private address/)
    const user = await httpGet(`${base}/ok`, options({ allowPrivateNetwork: false, policy: 'user' }))
    expect(user.status).toBe(200)
  })

  test('a redirect to the metadata address is refused, even from a user URL', async () => {
    const error = await failure(httpGet(`${base}/metadata`, options({ policy: 'user' })))
    expect(error.kind).toBe('blocked-address')
    expect(error.message).toMatch(/169\.254\.169\.254 is a cloud metadata address/)
  })

  test('redirects stop after three', async () => {
    expect((await failure(httpGet(`${base}/loop`, options()))).kind).toBe('redirect-loop')
  })

  test('bodies over the cap are cut off while streaming', async () => {
    const error = await failure(httpGet(`${base}/big`, options()))
    expect(error.kind).toBe('too-large')
    expect(error.message).toMatch(/larger than 65536 bytes/)
  })

  test('a stalled server ends in a timeout after every retry', async () => {
    const error = await failure(httpGet(`${base}/stall`, options({ timeoutMs: 300, retries: 1 })))
    expect(error.kind).toBe('timeout')
  })

  test('the run deadline cuts off the request in flight and stops the retries, saying why', async () => {
    const controller = new AbortController()
    setTimeout(() => controller.abort(new DeadlineReached('run deadline of 300ms reached')), 300)
    // Without the signal this would take 10 attempts of 20 s each.
    const error = await failure(
      httpGet(`${base}/stall`, options({ timeoutMs: 20_000, retries: 10, signal: controller.signal })),
    )
    expect(error.kind).toBe('deadline')
    expect(error.message).toBe(`run deadline of 300ms reached before ${base}/stall answered`)
  })

  test('once the deadline has passed no request is sent', async () => {
    let hits = 0
    const counting = http.createServer((_req, res) => (hits++, res.end('late')))
    await new Promise<void>((resolve) => counting.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(counting.address() as AddressInfo).port}/`
    const signal = AbortSignal.abort(new DeadlineReached('run deadline of 1s reached'))
    try {
      expect((await failure(httpGet(url, options({ signal })))).kind).toBe('deadline')
      expect(hits).toBe(0)
    } finally {
      await new Promise((resolve) => counting.close(resolve))
    }
  })

  test('each request in flight listens to the run deadline once, and drops the listener when it ends', async () => {
    // (That 16 listeners at --concurrency 16 print no leak warning is the bundle's test in cli.test.ts:
    // Node does not warn for the AbortSignal jest hands a test.)
    const deadline = startDeadline(60_000, '1m')
    try {
      const pending = Array.from({ length: 32 }, () =>
        httpGet(`${base}/ok`, options({ signal: deadline.signal })),
      )
      expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(32)
      const answers = await Promise.all(pending)
      expect(answers.map((a) => Buffer.from(a.body).toString())).toEqual(Array(32).fill('hello'))
      expect(getEventListeners(deadline.signal, 'abort')).toHaveLength(0)
    } finally {
      deadline.dispose()
    }
  })

  test('a connection reset mid-body is reported as reset', async () => {
    expect((await failure(httpGet(`${base}/reset`, options()))).kind).toBe('reset')
  })

  test('5xx is retried (honouring Retry-After) until it succeeds', async () => {
    flakyHits = 0
    const got = await httpGet(`${base}/flaky`, options({ retries: 2 }))
    expect(Buffer.from(got.body).toString()).toBe('finally')
    expect(flakyHits).toBe(3)
  })

  test('4xx is an http-status error, refused ports are refused', async () => {
    const notFound = await failure(httpGet(`${base}/missing`, options({ retries: 2 })))
    expect([notFound.kind, notFound.status]).toEqual(['http-status', 404])
    const port = await freePort()
    expect((await failure(httpGet(`http://127.0.0.1:${port}/`, options()))).kind).toBe('refused')
  })

  test('non-http schemes are refused', async () => {
    expect((await failure(httpGet('file:///etc/passwd', options()))).kind).toBe('bad-url')
  })
})
