// Shared setup of the reliability tests: a CA whose leaves point their OCSP
// URL (or CRL DP) wherever a test says, check() driven with short timeouts,
// and a record of every TCP connection the process attempts.
import { writeFileSync } from 'node:fs'
import net from 'node:net'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { CertificateReport, Report } from '../../src/report/types.js'
import { startForgedResponder, type ForgedResponder } from '../helpers/ocsp-responder.js'
import { ext, issue, tempDir, type Issued } from '../helpers/pki.js'

/** Short enough for a shared 2-core runner, long enough that loopback answers never miss it. */
export const TIMEOUT_MS = 1000
export const RETRIES = 1
/**
 * The bound a certificate's revocation check keeps whatever the server does:
 * every attempt ends by the timeout, and each wait between attempts (backoff
 * or Retry-After) is capped at the timeout too. SLACK_MS covers lint, the
 * other certificates and a loaded machine: the bound is checked, not timed.
 */
export const SLACK_MS = 5000
export const WALL_BOUND_MS = TIMEOUT_MS * (RETRIES + 1) + TIMEOUT_MS * RETRIES + SLACK_MS

export interface TestCa {
  root: Issued
  intermediate: Issued
  /** Directory holding root.pem (passed as --trust, outside the scanned inputs). */
  trustDir: string
  /** An OCSP responder (pkijs) answering `good` for anything the intermediate issued. */
  responder: ForgedResponder
}

export async function createTestCa(): Promise<TestCa> {
  const root = await issue({ cn: 'Reliability Root', extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
  const intermediate = await issue({
    cn: 'Reliability Intermediate',
    issuer: root,
    extensions: [ext.ca(0), ext.caKeyUsage()],
    days: 1825,
  })
  const trustDir = tempDir('certgate-reliability-trust-')
  writeFileSync(join(trustDir, 'root.pem'), root.pem)
  const responder = await startForgedResponder({
    issuer: intermediate,
    unrelated: intermediate,
    delegatedWithoutEku: intermediate,
    foreignDelegate: intermediate,
  })
  return { root, intermediate, trustDir, responder }
}

/** A server leaf of `ca` whose revocation pointers are exactly `ocsp` and `crl`. */
export function leaf(
  ca: Pick<TestCa, 'intermediate'>,
  cn: string,
  pointers: { ocsp?: string[]; crl?: string[] },
): Promise<Issued> {
  return issue({
    cn,
    issuer: ca.intermediate,
    days: 30,
    extensions: [
      ext.notCa(),
      ext.leafKeyUsage(),
      ext.serverAuth(),
      ext.san(cn),
      ...(pointers.ocsp ? [ext.aia(pointers.ocsp)] : []),
      ...(pointers.crl ? [ext.crlDp(...pointers.crl)] : []),
    ],
  })
}

export interface TimedReport {
  report: Report
  elapsedMs: number
}

/** check() over `inputs` (relative to `cwd`) with the reliability settings and `extra` on top. */
export async function runCheck(
  ca: TestCa,
  cwd: string,
  inputs: string[],
  extra: RawSettings = {},
): Promise<TimedReport> {
  const options = resolveOptions(
    {
      timeout: `${TIMEOUT_MS / 1000}s`,
      retries: RETRIES,
      'allow-private-network': true,
      'ocsp-method': 'post',
      trust: join(ca.trustDir, 'root.pem'),
      ...extra,
    },
    { inputs, cwd },
  )
  const started = performance.now()
  const report = await check(options)
  return { report, elapsedMs: performance.now() - started }
}

export function entryOf(report: Report, cert: Issued): CertificateReport {
  const sha256 = cert.model.sha256
  const found = report.certificates.filter((c) => c.sha256 === sha256)
  if (found.length === 0) throw new Error(`${cert.cert.subject} is not in the report`)
  return found[0]
}

/**
 * Records the address of every outgoing TCP connection attempt in this
 * process ('connectionAttempt', Node ≥ 20.12) until stopped: what "no request
 * leaves for X" is checked against.
 */
export function recordConnections(): { addresses: string[]; stop(): void } {
  const addresses: string[] = []
  const prototype = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket }
  const original = prototype.connect
  prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    this.on('connectionAttempt', (ip: string) => addresses.push(ip))
    return original.apply(this, args)
  }
  return { addresses, stop: () => (prototype.connect = original) }
}
