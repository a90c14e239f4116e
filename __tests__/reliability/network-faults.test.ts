// The network fault matrix (issue 6, part 2): a leaf whose OCSP URL points at
// a misbehaving server on 127.0.0.1, checked by check() beside a good leaf
// answered by a real pkijs responder. Each fault must end in the status and
// detail an operator can act on, within timeout × (retries + 1) plus the
// waits between attempts, and must not cost the good leaf its verdict.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { OCSP_MAX_BYTES } from '../../src/revocation/ocsp/check.js'
import { MAX_REDIRECTS } from '../../src/net/http.js'
import { tempDir, type Issued } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { startFaultServer, type Fault, type FaultServer } from './fault-server.js'
import {
  createTestCa,
  entryOf,
  leaf,
  RETRIES,
  runCheck,
  TIMEOUT_MS,
  WALL_BOUND_MS,
  type TestCa,
} from './fixtures.js'

interface FaultCase {
  name: string
  /** Where the faulty leaf's OCSP URL points. */
  url: () => string
  status: 'unreachable' | 'invalid'
  detail: RegExp
  /** Requests the fault server sees for this leaf (retries and redirects included). */
  requests?: number
  fault?: Fault
  /** The pointer the faulty leaf carries: its OCSP URL (default) or only a CRL DP. */
  via?: 'ocsp' | 'crl'
}

const ATTEMPTS = RETRIES + 1
const timedOut = new RegExp(`^timeout: .* no complete answer within ${TIMEOUT_MS} ms`)

let ca: TestCa
let faults: FaultServer
let refusedPort: number
let good: Issued
const dirs: string[] = []

beforeAll(async () => {
  ca = await createTestCa()
  faults = await startFaultServer()
  refusedPort = await freePort()
  good = await leaf(ca, 'good.reliability.test', { ocsp: [ca.responder.url('good')] })
})

afterAll(async () => {
  await faults.close()
  await ca.responder.close()
  for (const dir of [...dirs, ca.trustDir]) rmSync(dir, { recursive: true, force: true })
})

const viaFault = (fault: Fault, requests: number, status: FaultCase['status'], detail: RegExp) =>
  ({ name: fault, fault, url: () => faults.url(fault), status, detail, requests }) satisfies FaultCase

const CASES: FaultCase[] = [
  {
    name: 'connection refused',
    url: () => `http://127.0.0.1:${refusedPort}/ocsp`,
    status: 'unreachable',
    detail: /^refused: .* connection refused; is the server running on that port\?/,
  },
  viaFault('reset-before-headers', ATTEMPTS, 'unreachable', /^reset: .* connection reset by the server/),
  viaFault(
    'reset-during-body',
    ATTEMPTS,
    'unreachable',
    /^reset: .* (connection reset by the server|connection closed before the whole response arrived)/,
  ),
  viaFault('silent', ATTEMPTS, 'unreachable', timedOut),
  viaFault('drip', ATTEMPTS, 'unreachable', timedOut),
  viaFault('http-404', 1, 'unreachable', /^http-status: .* answered HTTP 404 \(check the URL\)/),
  viaFault('http-500', ATTEMPTS, 'unreachable', /^http-status: .* answered HTTP 500 \(the server failed/),
  viaFault('http-503-retry-after', ATTEMPTS, 'unreachable', /^http-status: .* answered HTTP 503/),
  viaFault('html', 1, 'invalid', /text\/html/),
  viaFault('endless', 1, 'unreachable', new RegExp(`^too-large: .* larger than ${OCSP_MAX_BYTES} bytes`)),
  viaFault(
    'redirect-loop',
    MAX_REDIRECTS + 1,
    'unreachable',
    new RegExp(`^redirect-loop: .* more than ${MAX_REDIRECTS} redirects`),
  ),
  // Each hop answers after 60% of the timeout: the timeout bounds the whole attempt, redirects included.
  viaFault('slow-redirect', 2 * ATTEMPTS, 'unreachable', timedOut),
  viaFault(
    'redirect-link-local',
    1,
    'unreachable',
    /^blocked-address: .* refused by the address policy, 169\.254\.10\.1 is a link-local address/,
  ),
  viaFault(
    'redirect-metadata',
    1,
    'unreachable',
    /^blocked-address: .* 169\.254\.169\.254 is a cloud metadata address/,
  ),
  // A leaf without OCSP is checked by its CRL (DESIGN.md, --revocation auto): the same faults, another cap.
  {
    ...viaFault('endless', 1, 'unreachable', /^http:.* response larger than 1048576 bytes; refused to read/),
    name: 'endless CRL',
    via: 'crl',
  },
  {
    ...viaFault('http-500', ATTEMPTS, 'unreachable', /^http:.* answered HTTP 500/),
    name: 'CRL 500',
    via: 'crl',
  },
  {
    ...viaFault('silent', ATTEMPTS, 'unreachable', /^http:.* no complete answer within 1000 ms/),
    name: 'silent CRL host',
    via: 'crl',
  },
  {
    name: 'a DNS name that does not resolve',
    url: () => 'http://ocsp.certgate-reliability.invalid/',
    status: 'unreachable',
    detail: /^dns: .* cannot resolve ocsp\.certgate-reliability\.invalid/,
  },
]

const faultyLeaf = (fault: FaultCase, cn: string): Promise<Issued> =>
  leaf(ca, cn, fault.via === 'crl' ? { crl: [fault.url()] } : { ocsp: [fault.url()] })

describe('network fault matrix through check()', () => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, fault) => {
    const faulty = await faultyLeaf(fault, 'faulty.reliability.test')
    const dir = tempDir('certgate-faults-')
    dirs.push(dir)
    writeFileSync(join(dir, 'intermediate.pem'), ca.intermediate.pem)
    writeFileSync(join(dir, 'faulty.pem'), faulty.pem)
    writeFileSync(join(dir, 'good.pem'), good.pem)
    const hitsBefore = fault.fault ? (faults.hits.get(fault.fault) ?? 0) : 0

    const { report, elapsedMs } = await runCheck(ca, dir, ['.'], { 'crl-max-size': 1 })

    const revocation = entryOf(report, faulty).revocation
    expect(revocation).toMatchObject({ source: fault.via ?? 'ocsp', status: fault.status })
    expect(revocation.detail).toMatch(fault.detail)
    expect(elapsedMs).toBeLessThan(WALL_BOUND_MS)
    if (fault.fault) {
      expect((faults.hits.get(fault.fault) ?? 0) - hitsBefore).toBe(fault.requests)
    }
    // The fault costs nobody else their verdict.
    expect(entryOf(report, good).revocation).toMatchObject({ source: 'ocsp', status: 'good' })
    expect(report.result).toBe('fail')
    expect(report.summary.certificates).toBe(3)
  })

  test('every fault at once: each leaf keeps its own verdict, the run keeps the one-leaf bound', async () => {
    const dir = tempDir('certgate-faults-all-')
    dirs.push(dir)
    mkdirSync(join(dir, 'leaves'))
    writeFileSync(join(dir, 'intermediate.pem'), ca.intermediate.pem)
    writeFileSync(join(dir, 'leaves', 'good.pem'), good.pem)
    const faulty: [FaultCase, Issued][] = []
    for (const [index, fault] of CASES.entries()) {
      const cert = await faultyLeaf(fault, `fault-${index}.reliability.test`)
      writeFileSync(join(dir, 'leaves', `fault-${index}.pem`), cert.pem)
      faulty.push([fault, cert])
    }
    // Every leaf gets its own slot, so the slowest fault sets the pace.
    const { report, elapsedMs } = await runCheck(ca, dir, ['.'], {
      concurrency: CASES.length + 1,
      'crl-max-size': 1,
    })
    for (const [fault, cert] of faulty) {
      expect({ fault: fault.name, status: entryOf(report, cert).revocation.status }).toEqual({
        fault: fault.name,
        status: fault.status,
      })
      expect(entryOf(report, cert).revocation.detail).toMatch(fault.detail)
    }
    expect(entryOf(report, good).revocation.status).toBe('good')
    expect(report.certificates).toHaveLength(CASES.length + 2)
    expect(elapsedMs).toBeLessThan(WALL_BOUND_MS)
  })
})
