// A raw TCP server on 127.0.0.1 that misbehaves the way a responder or CRL
// host does in production, one fault per URL path
// (http://127.0.0.1:PORT/<fault>/...). Raw sockets rather than node:http so
// a fault can be a TCP reset before any header, or a status line sent one
// byte at a time.
import { createServer, type Server, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'

export type Fault =
  | 'reset-before-headers'
  | 'reset-during-body'
  | 'silent'
  | 'drip'
  | 'http-404'
  | 'http-500'
  | 'http-503-retry-after'
  | 'html'
  | 'endless'
  | 'redirect-loop'
  | 'slow-redirect'
  | 'redirect-link-local'
  | 'redirect-metadata'
  | 'redirect-private'

export interface FaultServer {
  url(fault: Fault): string
  /** Requests (one per connection) seen per fault: shows how often the gate retried. */
  hits: Map<Fault, number>
  /** Every request line received, in order. */
  requests: string[]
  close(): Promise<void>
}

/** How long each hop of `slow-redirect` waits before answering its redirect. */
export const SLOW_REDIRECT_DELAY_MS = 600

export async function startFaultServer(): Promise<FaultServer> {
  const hits = new Map<Fault, number>()
  const requests: string[] = []
  const sockets = new Set<Socket>()
  const timers = new Set<NodeJS.Timeout>()
  const later = (ms: number, action: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      action()
    }, ms)
    timers.add(timer)
  }
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => undefined)
    let head = ''
    const onData = (chunk: Buffer): void => {
      head += chunk.toString('latin1')
      if (!head.includes('\r\n\r\n')) return
      socket.off('data', onData)
      const requestLine = head.slice(0, head.indexOf('\r\n'))
      requests.push(requestLine)
      const fault = /^[A-Z]+ \/([a-z0-9-]+)/.exec(requestLine)?.[1] as Fault
      hits.set(fault, (hits.get(fault) ?? 0) + 1)
      misbehave(fault, socket, later)
    }
    socket.on('data', onData)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: (fault) => `http://127.0.0.1:${port}/${fault}/`,
    hits,
    requests,
    close: async () => {
      for (const timer of timers) clearTimeout(timer)
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

const answer = (status: string, headers: Record<string, string>, body = ''): string =>
  `HTTP/1.1 ${status}\r\n` +
  Object.entries({ ...headers, 'Content-Length': String(Buffer.byteLength(body)), Connection: 'close' })
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('') +
  `\r\n${body}`

function misbehave(fault: Fault, socket: Socket, later: (ms: number, action: () => void) => void): void {
  const redirect = (location: string): void => {
    socket.end(answer('302 Found', { Location: location }))
  }
  switch (fault) {
    case 'reset-before-headers':
      return void socket.resetAndDestroy()
    case 'reset-during-body':
      socket.write(
        'HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nContent-Length: 2000\r\n\r\n' +
          '0'.repeat(100),
        () => socket.resetAndDestroy(),
      )
      return
    case 'silent':
      return
    case 'drip': {
      const text = answer('200 OK', { 'Content-Type': 'application/ocsp-response' }, '0'.repeat(100))
      let sent = 0
      const next = (): void => {
        if (socket.destroyed || sent >= text.length) return
        socket.write(text[sent++])
        later(1000, next)
      }
      return next()
    }
    case 'http-404':
      return void socket.end(answer('404 Not Found', { 'Content-Type': 'text/plain' }, 'no such responder'))
    case 'http-500':
      return void socket.end(answer('500 Internal Server Error', { 'Content-Type': 'text/plain' }, 'boom'))
    case 'http-503-retry-after':
      return void socket.end(answer('503 Service Unavailable', { 'Retry-After': '1' }, 'busy'))
    case 'html':
      return void socket.end(
        answer('200 OK', { 'Content-Type': 'text/html' }, '<html><body>Sign in to the Wi-Fi</body></html>'),
      )
    case 'endless': {
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/ocsp-response\r\nConnection: close\r\n\r\n')
      const chunk = Buffer.alloc(16 * 1024, 0x30)
      const pump = (): void => {
        while (!socket.destroyed && socket.write(chunk));
        if (!socket.destroyed) socket.once('drain', pump)
      }
      return pump()
    }
    case 'redirect-loop':
      return redirect('/redirect-loop/again')
    case 'slow-redirect':
      return later(SLOW_REDIRECT_DELAY_MS, () => redirect('/slow-redirect/next'))
    case 'redirect-link-local':
      return redirect('http://169.254.10.1/ocsp')
    case 'redirect-metadata':
      return redirect('http://169.254.169.254/latest/meta-data/iam/security-credentials/')
    case 'redirect-private':
      return redirect('http://10.0.0.1/ocsp')
    default:
      return void socket.end(answer('400 Bad Request', {}, `unknown fault ${String(fault)}`))
  }
}
