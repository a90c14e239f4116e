// Load (issue 6, part 5): many certificates against an OCSP responder that
// fails 20% of requests at random (half HTTP 500, half a TCP reset), from a
// seeded PRNG so a failing run can be replayed. The run must finish within
// its bound, retries must recover every certificate that had one good
// attempt, and the report must hold every certificate with a verdict.
// npm test runs 500 certificates; RELIABILITY_FULL=1 runs 5,000.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import http from 'node:http'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import * as pkijs from 'pkijs'
import { tempDir, type Issued } from '../helpers/pki.js'
import { createTestCa, leaf, RETRIES, runCheck, type TestCa } from './fixtures.js'

const FULL = process.env.RELIABILITY_FULL === '1'
const CERTIFICATES = FULL ? 5000 : 500
const FAILURE_RATE = 0.2
const SEED = 0x5eed2026
const CONCURRENCY = 16
const CERTS_PER_FILE = 50
/**
 * Longer than the fault matrix's: here slowness is not the fault under test,
 * and an answer cut off by a busy machine would blur "every attempt failed".
 */
const TIMEOUT_MS = 5000
/** Lint and chain work per certificate on a loaded 2-core machine, generously. */
const LINT_BUDGET_MS = 20
const PER_CERT_BOUND_MS = TIMEOUT_MS * (RETRIES + 1) + TIMEOUT_MS * RETRIES
const RUN_BOUND_MS =
  Math.ceil(CERTIFICATES / CONCURRENCY) * PER_CERT_BOUND_MS + CERTIFICATES * LINT_BUDGET_MS + 30_000

/** mulberry32: a small seeded PRNG, so the sequence of faults is the same every run. */
function prng(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Attempts {
  failed: number
  answered: number
  /** Answers that came back after the client had given up (its timeout on a busy machine): not delivered. */
  late: number
}

/** Sits in front of the pkijs responder and fails a share of requests; counts per serial. */
async function startFlakyResponder(upstream: string, random: () => number) {
  const bySerial = new Map<string, Attempts>()
  const counts = { requests: 0, http500: 0, resets: 0, answered: 0, late: 0 }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      counts.requests++
      const body = Buffer.concat(chunks)
      const serial = Buffer.from(
        pkijs.OCSPRequest.fromBER(body).tbsRequest.requestList[0].reqCert.serialNumber.valueBlock
          .valueHexView,
      ).toString('hex')
      const attempts = bySerial.get(serial) ?? { failed: 0, answered: 0, late: 0 }
      bySerial.set(serial, attempts)
      const roll = random()
      if (roll < FAILURE_RATE) {
        attempts.failed++
        if (roll < FAILURE_RATE / 2) {
          counts.http500++
          res.writeHead(500).end('injected failure')
        } else {
          counts.resets++
          req.socket.resetAndDestroy()
        }
        return
      }
      const forward = http.request(upstream, { method: 'POST', headers: req.headers }, (answer) => {
        const parts: Buffer[] = []
        answer.on('data', (chunk: Buffer) => parts.push(chunk))
        answer.on('end', () => {
          // A client that timed out has closed its socket: the answer reaches nobody.
          if (req.socket.destroyed) {
            attempts.late++
            counts.late++
            return
          }
          attempts.answered++
          counts.answered++
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(Buffer.concat(parts))
        })
      })
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    bySerial,
    counts,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

let ca: TestCa
let flaky: Awaited<ReturnType<typeof startFlakyResponder>>
let dir: string
const leaves: Issued[] = []

beforeAll(async () => {
  ca = await createTestCa()
  flaky = await startFlakyResponder(ca.responder.url('good'), prng(SEED))
  dir = tempDir('certgate-load-')
  mkdirSync(join(dir, 'certs'))
  writeFileSync(join(dir, 'intermediate.pem'), ca.intermediate.pem)
  for (let i = 0; i < CERTIFICATES; i++) {
    leaves.push(await leaf(ca, `load-${i}.reliability.test`, { ocsp: [flaky.url] }))
  }
  for (let start = 0; start < CERTIFICATES; start += CERTS_PER_FILE) {
    const batch = leaves.slice(start, start + CERTS_PER_FILE)
    writeFileSync(join(dir, 'certs', `batch-${start / CERTS_PER_FILE}.pem`), batch.map((c) => c.pem).join(''))
  }
}, 600_000)

afterAll(async () => {
  await flaky.close()
  await ca.responder.close()
  for (const path of [dir, ca.trustDir]) rmSync(path, { recursive: true, force: true })
})

describe(`${CERTIFICATES} certificates, ${FAILURE_RATE * 100}% of OCSP requests failing`, () => {
  test(
    'finishes within its bound with every certificate reported; retries recover all that can be',
    async () => {
      const { report, elapsedMs } = await runCheck(ca, dir, ['.'], {
        concurrency: CONCURRENCY,
        timeout: `${TIMEOUT_MS / 1000}s`,
      })
      expect(elapsedMs).toBeLessThan(RUN_BOUND_MS)

      const reported = report.certificates.filter((c) => c.subject.startsWith('CN=load-'))
      expect(reported).toHaveLength(CERTIFICATES)
      expect(new Set(reported.map((c) => c.serial)).size).toBe(CERTIFICATES)
      expect(report.summary.certificates).toBe(CERTIFICATES + 1)

      let recovered = 0
      let lost = 0
      for (const cert of reported) {
        const attempts = flaky.bySerial.get(cert.serial)
        expect({ serial: cert.serial, asked: attempts !== undefined }).toEqual({
          serial: cert.serial,
          asked: true,
        })
        const { failed, answered, late } = attempts as Attempts
        // Good exactly when one attempt got through; unreachable only after every attempt failed.
        if (answered > 0) {
          expect(cert.revocation.status).toBe('good')
          expect(answered).toBe(1)
          if (failed > 0) recovered++
        } else {
          expect(cert.revocation.status).toBe('unreachable')
          expect(failed + late).toBe(RETRIES + 1)
          if (late === 0) expect(cert.revocation.detail).toMatch(/^(http-status: .*HTTP 500|reset: )/)
          lost++
        }
      }
      const { counts } = flaky
      expect(counts.requests).toBe(counts.http500 + counts.resets + counts.answered + counts.late)
      expect(counts.http500 + counts.resets).toBeGreaterThan(0)
      expect(recovered).toBeGreaterThan(0)
      // The unreachable ones, and only they, fail the gate.
      expect(reported.filter((c) => c.failed)).toHaveLength(lost)
      expect(reported.filter((c) => c.failed && c.revocation.status !== 'unreachable')).toEqual([])
      // Written to the log so the README's numbers come from a real run.
      console.log(
        JSON.stringify({
          certificates: CERTIFICATES,
          seed: SEED,
          elapsedMs: Math.round(elapsedMs),
          recovered,
          lost,
          ...counts,
        }),
      )
    },
    FULL ? 1_200_000 : 300_000,
  )
})
