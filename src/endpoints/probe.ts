// Live endpoints (`--endpoint HOST[:PORT]`): one TLS handshake that asks for
// a stapled OCSP response (RFC 6066 status_request) and records the chain as
// served. Nothing is judged here: the staple is verified like any response
// and the chain is linted like a file, so the handshake accepts any
// certificate (we judge it ourselves, not Node's trust store). The address
// is chosen by the address policy first and pinned for the connection.
import { isIP } from 'node:net'
import tls from 'node:tls'
import { resolveAllowed, type AddressRules } from '../net/resolve.js'
import { abortMessage } from '../net/deadline.js'

export interface EndpointProbeOptions {
  /** Whole handshake, connect included. */
  timeoutMs: number
  /**
   * The address to connect to instead of resolving `host` (`--resolve`);
   * SNI still names `host`, and the address policy still applies.
   */
  address?: string
  /** Which addresses the host may resolve to (an endpoint from a config file is untrusted input). */
  addresses: AddressRules
  /** The run's deadline: a handshake not done when it passes is abandoned. */
  signal?: AbortSignal
}

export interface EndpointProbe {
  /** The server sent a CertificateStatus (a non-empty OCSP response). */
  stapled: boolean
  /** The stapled OCSPResponse DER, exactly as sent. */
  staple?: Uint8Array
  /** Certificates as served, DER, leaf first. */
  chain: Uint8Array[]
  /** Why the handshake failed; the other fields then hold what was seen before. */
  error?: string
}

type PeerCertificate = tls.DetailedPeerCertificate

/**
 * Connects to host:port (or to `options.address`, as curl's --resolve does)
 * with SNI for `host` unless it is an IP address, and status_request;
 * returns the stapled OCSP response and the served chain. Never throws:
 * connection failures and timeouts come back in `error`.
 */
export function probeEndpoint(
  host: string,
  port: number,
  options: EndpointProbeOptions,
): Promise<EndpointProbe> {
  return new Promise((resolve) => {
    const probe: EndpointProbe = { stapled: false, chain: [] }
    const servername = isIP(host) ? undefined : host
    let socket: tls.TLSSocket | undefined
    let done = false
    const finish = (error?: string): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      options.signal?.removeEventListener('abort', abort)
      if (error) probe.error = error
      socket?.destroy()
      resolve(probe)
    }
    const timer = setTimeout(
      () => finish(`${host}:${port}: no TLS handshake within ${options.timeoutMs} ms`),
      options.timeoutMs,
    )
    const abort = (): void =>
      finish(`${abortMessage(options.signal!)} before the TLS handshake with ${host}:${port} completed`)
    if (options.signal?.aborted) return abort()
    options.signal?.addEventListener('abort', abort, { once: true })
    const handshake = (address: string): tls.TLSSocket => {
      const socket = tls.connect({
        host: address,
        port,
        servername,
        // @types/node declares requestOCSP only for TLSSocket; tls.connect honours it (STACK-NOTES §7).
        requestOCSP: true,
        rejectUnauthorized: false,
      } as tls.ConnectionOptions & { requestOCSP: boolean })
      socket.on('OCSPResponse', (response: Buffer | null) => {
        if (response && response.length > 0) {
          probe.stapled = true
          probe.staple = new Uint8Array(response)
        }
      })
      socket.once('secureConnect', () => {
        probe.chain = servedChain(socket.getPeerCertificate(true))
        finish()
      })
      socket.once('error', (error) => finish(`${host}:${port}: ${error.message}`))
      return socket
    }
    resolveAllowed(options.address ?? host, options.addresses).then(
      (pinned) => {
        if (!done) socket = handshake(pinned.address)
      },
      (refused: Error) => finish(`${host}:${port}: ${refused.message}`),
    )
  })
}

/** Follows issuerCertificate links; Node links a self-signed certificate to itself, so stop at repeats. */
function servedChain(leaf: PeerCertificate | undefined): Uint8Array[] {
  const chain: Uint8Array[] = []
  const seen = new Set<PeerCertificate>()
  for (let cert = leaf; cert?.raw && !seen.has(cert); cert = cert.issuerCertificate) {
    seen.add(cert)
    chain.push(new Uint8Array(cert.raw))
  }
  return chain
}
