// Bounds under any input (issue 12): a certificate's URLs are capped per
// kind, the run's deadline ends its network work with every certificate still
// reported, and CRLs that fail verification are not kept. The peers are a
// silent server on 127.0.0.1 (accepts, never answers) and a file server
// serving badly signed CRLs. Statuses are asserted, not timings: the only
// clock check is a generous bound that catches a hang.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { webcrypto } from 'node:crypto'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '@peculiar/x509'
import { checkCrl } from '../../src/revocation/crl/check.js'
import { CrlLoader } from '../../src/revocation/crl/fetch.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { MAX_URLS_PER_KIND } from '../../src/net/url-cap.js'
import type { RawSettings } from '../../src/options.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { ext, generateKeys, issue, tempDir, type Issued } from '../helpers/pki.js'
import { startFaultServer, type FaultServer } from './fault-server.js'
import { createTestCa, entryOf, leaf, runCheck, type TestCa } from './fixtures.js'

/** Catches a hang, not a slow machine: the runs below take seconds. */
const HANG_BOUND_MS = 30_000
/** Revoked entries in each generated CRL: some 24 KiB of DER, large beside the budgets set below. */
const CRL_ENTRIES = 1000

let ca: TestCa
let faults: FaultServer
let files: FileServer
let badCrl: Uint8Array
let goodCrl: Uint8Array
const dirs: string[] = []

/** A CRL in the intermediate's name with CRL_ENTRIES entries, signed by `signingKey`. */
async function bigCrl(signingKey: webcrypto.CryptoKey): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: ca.intermediate.cert.subject,
    thisUpdate: new Date(Date.now() - 3600_000),
    nextUpdate: new Date(Date.now() + 86_400_000),
    signingKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
    entries: Array.from({ length: CRL_ENTRIES }, (_, i) => ({
      serialNumber: (0x100000 + i).toString(16),
      revocationDate: new Date(Date.UTC(2025, 0, 1)),
    })),
  })
  return new Uint8Array(crl.rawData)
}

/** A folder holding `certs`, one file each, and the intermediate beside them (passed as --issuer). */
function folderOf(name: string, certs: Issued[]): string {
  const dir = tempDir(`certgate-bounds-${name}-`)
  dirs.push(dir)
  mkdirSync(join(dir, 'certs'))
  certs.forEach((cert, i) => writeFileSync(join(dir, 'certs', `${i}.pem`), cert.pem))
  writeFileSync(join(dir, 'intermediate.pem'), ca.intermediate.pem)
  return dir
}

/** check() on the certificates of folderOf(), with `extra` settings. */
const checkFolder = (dir: string, extra: RawSettings = {}) =>
  runCheck(ca, dir, ['certs'], { issuer: join(dir, 'intermediate.pem'), ...extra })

beforeAll(async () => {
  ca = await createTestCa()
  faults = await startFaultServer()
  files = await serveFiles()
  // Badly signed: the intermediate's name, another key's signature.
  badCrl = await bigCrl((await generateKeys('ec256')).privateKey)
  goodCrl = await bigCrl(ca.intermediate.keys.privateKey)
}, 120_000)

afterAll(async () => {
  await faults.close()
  await files.close()
  await ca.responder.close()
  for (const dir of [...dirs, ca.trustDir]) rmSync(dir, { recursive: true, force: true })
})

describe('URLs per certificate', () => {
  test('of 20 silent OCSP URLs only the first 4 are tried, and the detail names the rest', async () => {
    const urls = Array.from({ length: 20 }, (_, i) => `${faults.url('silent')}${i}`)
    const tarpit = await leaf(ca, 'twenty.bounds.test', { ocsp: urls })
    const before = faults.hits.get('silent') ?? 0
    const { report, elapsedMs } = await checkFolder(folderOf('ocsp20', [tarpit]), { retries: 0 })
    const entry = entryOf(report, tarpit)
    expect(entry.revocation.status).toBe('unreachable')
    expect((faults.hits.get('silent') ?? 0) - before).toBe(MAX_URLS_PER_KIND)
    const detail = entry.revocation.detail ?? ''
    for (const url of urls.slice(0, 4)) expect(detail).toContain(`${url}: no complete answer`)
    expect(detail).toContain(
      `16 more OCSP URLs not tried (at most 4 per certificate): ${urls[4]}, ${urls[5]}`,
    )
    expect(detail).toContain('and 6 others')
    expect(elapsedMs).toBeLessThan(HANG_BOUND_MS)
  })

  test('of 20 CRL distribution points serving badly signed CRLs, 4 are fetched and each is released at once', async () => {
    const urls = Array.from({ length: 20 }, (_, i) => `/bad-${i}.crl`)
    for (const path of urls) files.set(path, { body: badCrl, contentType: 'application/pkix-crl' })
    const cert = await leaf(ca, 'crl20.bounds.test', { crl: urls.map((p) => files.url(p)) })
    const loader = new CrlLoader(revocationOptions({ allowPrivateNetwork: true }))
    const verdict = await checkCrl(cert.model, ca.intermediate.model, revocationOptions(), { loader })
    expect(verdict.status).toBe('invalid')
    expect(verdict.detail).toMatch(/signature does not verify with the key of/)
    expect(verdict.detail).toContain(`16 more CRL distribution points not tried`)
    expect(urls.map((p) => files.requests(p))).toEqual(urls.map((_, i) => (i < 4 ? 1 : 0)))
    expect({ released: loader.released, held: loader.heldBytes, peak: loader.peakHeldBytes }).toEqual({
      released: 4,
      held: 0,
      peak: 0,
    })
  })
})

describe('caIssuers URLs per certificate', () => {
  test('of 6 caIssuers URLs 4 are fetched, and the missing issuer names the rest', async () => {
    const urls = Array.from({ length: 6 }, (_, i) => `${faults.url('http-404')}issuer-${i}.crt`)
    const orphan = await issue({
      cn: 'six-issuers.bounds.test',
      issuer: ca.intermediate,
      days: 30,
      extensions: [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth(), ext.aia([], urls)],
    })
    const before = faults.hits.get('http-404') ?? 0
    // No --issuer: the issuer can only come from the caIssuers URLs, which all answer 404.
    const { report } = await runCheck(ca, folderOf('six-issuers', [orphan]), ['certs'], { retries: 0 })
    expect((faults.hits.get('http-404') ?? 0) - before).toBe(MAX_URLS_PER_KIND)
    const incomplete = entryOf(report, orphan).findings.find((f) => f.rule === 'chain-incomplete')
    expect(incomplete?.message).toContain(`nor at ${urls.slice(0, 4).join(', ')}`)
    expect(incomplete?.message).toContain(
      `(2 more caIssuers URLs not tried (at most 4 per certificate): ${urls[4]}, ${urls[5]})`,
    )
  })
})

describe('the CRL budget', () => {
  test('badly signed CRLs at 20 distribution points never count against it: all are invalid, none over budget', async () => {
    // Five certificates, four distribution points each: 20 CRLs of some 24 KiB against a 64 KiB budget.
    const certs = await Promise.all(
      Array.from({ length: 5 }, (_, c) => {
        const paths = Array.from({ length: 4 }, (_, i) => `/budget-${c}-${i}.crl`)
        for (const path of paths) files.set(path, { body: badCrl, contentType: 'application/pkix-crl' })
        return leaf(ca, `budget-${c}.bounds.test`, { crl: paths.map((p) => files.url(p)) })
      }),
    )
    const { report } = await checkFolder(folderOf('budget', certs), { 'crl-budget': '64KiB' })
    for (const cert of certs) {
      const { revocation } = entryOf(report, cert)
      expect(revocation.status).toBe('invalid')
      expect(revocation.detail).toMatch(/signature does not verify/)
      expect(revocation.detail).not.toMatch(/past the CRL budget/)
    }
  })

  test('a verified CRL that would pass the budget is not kept and is unreachable, with the reason', async () => {
    files.set('/first.crl', { body: goodCrl, contentType: 'application/pkix-crl' })
    files.set('/second.crl', { body: goodCrl, contentType: 'application/pkix-crl' })
    const first = await leaf(ca, 'first.bounds.test', { crl: [files.url('/first.crl')] })
    const second = await leaf(ca, 'second.bounds.test', { crl: [files.url('/second.crl')] })
    // Room for one of the two CRLs, not both.
    const budget = Math.floor(goodCrl.byteLength * 1.5)
    const options = revocationOptions({ allowPrivateNetwork: true, crlBudgetBytes: budget })
    const loader = new CrlLoader(options)
    const a = await checkCrl(first.model, ca.intermediate.model, options, { loader })
    const b = await checkCrl(second.model, ca.intermediate.model, options, { loader })
    expect(a.status).toBe('good')
    expect(b.status).toBe('unreachable')
    expect(b.detail).toMatch(
      /^CRL http:\S+\/second\.crl \(.*\) not used: .* past the CRL budget of .*raise --crl-budget/,
    )
    expect(loader.peakHeldBytes).toBe(goodCrl.byteLength)
    loader.releaseAll()
    expect(loader.heldBytes).toBe(0)
  })
})

describe('the run deadline', () => {
  test('tarpit URLs: what is not done by --deadline 2s is unreachable with the reason, and the report is complete', async () => {
    const ocspTarpits = await Promise.all(
      [0, 1, 2].map((i) =>
        leaf(ca, `tarpit-${i}.bounds.test`, { ocsp: [`${faults.url('silent')}deadline-${i}`] }),
      ),
    )
    const crlTarpit = await leaf(ca, 'crl-tarpit.bounds.test', {
      crl: [`${faults.url('silent')}deadline.crl`],
    })
    const all = [...ocspTarpits, crlTarpit]
    const started = performance.now()
    // One request at a time and a per-request timeout far beyond the deadline: the first request is
    // cut off in flight, the others are never sent.
    const { report } = await checkFolder(folderOf('deadline', all), {
      deadline: '2s',
      timeout: '60s',
      retries: 0,
      concurrency: 1,
    })
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS)
    expect(report.certificates).toHaveLength(all.length)
    expect(report.files.map((f) => f.file).sort()).toEqual(all.map((_, i) => `certs/${i}.pem`).sort())
    for (const cert of all) {
      const { revocation } = entryOf(report, cert)
      expect(revocation.status).toBe('unreachable')
      expect(revocation.detail).toMatch(/run deadline of 2s reached before /)
    }
    const inFlight = all.filter((c) =>
      /before http:\S+ answered/.test(entryOf(report, c).revocation.detail ?? ''),
    )
    const neverSent = all.filter((c) =>
      /before (asking|fetching) http:/.test(entryOf(report, c).revocation.detail ?? ''),
    )
    expect(inFlight).toHaveLength(1)
    expect(neverSent).toHaveLength(all.length - 1)
    expect(report.result).toBe('fail')
    expect(report.summary.reasons.join(',')).toMatch(/unreachable/)
  })

  test('an endpoint that never completes its handshake and a caIssuers tarpit end at the deadline, saying so', async () => {
    const port = Number(new URL(faults.url('silent')).port)
    const orphan = await issue({
      cn: 'orphan.bounds.test',
      issuer: ca.intermediate,
      days: 30,
      extensions: [
        ext.notCa(),
        ext.leafKeyUsage(),
        ext.serverAuth(),
        ext.san('orphan.bounds.test'),
        ext.aia([], [`${faults.url('silent')}issuer.crt`]),
      ],
    })
    const dir = folderOf('handshake', [orphan])
    const started = performance.now()
    // No --issuer: the orphan's issuer can only come from its caIssuers URL.
    const { report } = await runCheck(ca, dir, ['certs'], {
      endpoint: `127.0.0.1:${port}`,
      deadline: '2s',
      timeout: '60s',
      retries: 0,
    })
    expect(performance.now() - started).toBeLessThan(HANG_BOUND_MS)
    expect(report.endpoints).toHaveLength(1)
    expect(report.endpoints[0].findings).toContainEqual(
      expect.objectContaining({
        rule: 'endpoint-unreachable',
        message: expect.stringMatching(
          /run deadline of 2s reached before the TLS handshake with 127\.0\.0\.1:\d+ completed/,
        ),
      }),
    )
    expect(entryOf(report, orphan).findings).toContainEqual(
      expect.objectContaining({
        rule: 'chain-incomplete',
        message: expect.stringMatching(/run deadline of 2s reached before every caIssuers URL was fetched/),
      }),
    )
  })
})
