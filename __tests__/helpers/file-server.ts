// A static HTTP server on 127.0.0.1 for CRLs, OCSP responses and other
// documents a test made with openssl: each path answers with the bytes set
// for it (whatever the method, so a stored OCSP response answers a POST),
// the path '*' answers every path without its own file (OCSP GETs carry the
// request in the path), other paths 404, and requests are counted per path.
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ServedFile {
  body: Uint8Array | string
  contentType?: string
  headers?: Record<string, string>
  status?: number
}

export interface FileServer {
  port: number
  url(path: string): string
  /** Serves `file` (or bytes) at `path` from now on. */
  set(path: string, file: ServedFile | Uint8Array | string): void
  /** Requests that reached `path` so far. */
  requests(path: string): number
  close(): Promise<void>
}

/** Listens on 127.0.0.1:`port` (0: any free port). */
export async function serveFiles(port = 0): Promise<FileServer> {
  const files = new Map<string, ServedFile>()
  const counts = new Map<string, number>()
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    counts.set(path, (counts.get(path) ?? 0) + 1)
    req.resume()
    const file = files.get(path) ?? files.get('*')
    if (!file) return void res.writeHead(404).end()
    const headers = { 'content-type': file.contentType ?? 'application/octet-stream', ...file.headers }
    res.writeHead(file.status ?? 200, headers).end(file.body)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const bound = (server.address() as AddressInfo).port
  return {
    port: bound,
    url: (path) => `http://127.0.0.1:${bound}${path}`,
    set: (path, file) =>
      files.set(path, typeof file === 'string' || file instanceof Uint8Array ? { body: file } : file),
    requests: (path) => counts.get(path) ?? 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
