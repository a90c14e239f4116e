// OCSP scenario: N leaves of one issuer checked against a local `openssl ocsp`
// responder. certgate against the `openssl ocsp` loop a user would write and
// against the responder's own ceiling; then the same leaves listed three
// times (one request per certificate, however often it appears) and a run
// with --cache-dir (no request while the stored answers are fresh).
import { execFileSync } from 'node:child_process'
import { cp, mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBenchPki } from '../lib/pki.js'
import { freePort } from '../lib/processes.js'
import { expectExit, measureProcess, repeat, summarise } from '../lib/measure.js'
import { duration, ratio } from '../lib/table.js'
import { startResponder } from './responder.js'

const OPENSSL_LOOP = fileURLToPath(new URL('./openssl-loop.sh', import.meta.url))
const CEILING = fileURLToPath(new URL('./ceiling.js', import.meta.url))
const SOCKET_CEILING = fileURLToPath(new URL('./socket-ceiling.js', import.meta.url))
const LIBRARY_CLIENT = fileURLToPath(new URL('./library-client.js', import.meta.url))
/** OCSP client packages a Node user would pick instead, on the EC PKI (the `ocsp` package has its own RSA row). */
const LIBRARIES = ['@techteamer/ocsp', 'easy-ocsp']
const CONCURRENCY = 16
const COPIES = 3
/** Every 100th leaf is revoked in the responder's index, so the report must show both answers. */
const REVOKE_EVERY = 100

/** @type {import('../run.js').Scenario} */
export const ocspScenario = {
  name: 'ocsp',
  defaultSizes: [1_000],
  notes: [
    `ocsp — certgate: \`node dist/cli.js check --revocation ocsp --allow-private-network --concurrency ${CONCURRENCY} --format json --trust root.pem issuer.pem <leaves>\` against \`openssl ocsp -index\` on 127.0.0.1 (single process, signed by the issuing CA, every ${REVOKE_EVERY}th leaf revoked); the report is checked to give every leaf the index's answer. Requests are counted from the responder's own log (one "Received request" line each).`,
    `ocsp — alternative: \`bench/ocsp/openssl-loop.sh\` (\`openssl ocsp -issuer -cert -url -CAfile\` per certificate); floor: \`bench/ocsp/ceiling.js\`, one request built by \`openssl ocsp -reqout\` sent as an RFC 5019 GET as many times as there are certificates, ${CONCURRENCY} in flight, one connection each (as certgate sends), answers read but not verified.`,
    `ocsp — "listed ${COPIES}×": the same leaves copied into ${COPIES} folders, one request per certificate expected; "--cache-dir warm": one untimed run fills the cache, the timed runs reuse it.`,
    `ocsp — libraries: \`bench/ocsp/library-client.js\` drives ${LIBRARIES.map((l) => `\`${l}\``).join(' and ')} (and \`ocsp\` on the "RSA CA" row) as a Node user would script them: every leaf file read and checked against the issuer with the library's defaults (signature checked; easy-ocsp is given the URL from the leaf, as it reads it itself only when the AIA also names caIssuers), ${CONCURRENCY} in flight; the counts of good and revoked leaves are checked against the index.`,
    'ocsp — "CPU per run": user + system CPU time of certgate and of the ceiling\'s client (GNU time, all threads) and of the responder over the same runs (/proc/PID/stat). The ceiling\'s client sends one request and reads the answer, and it uses more CPU than the responder does: the "ceiling" is that of Node\'s HTTP client on this machine, which certgate also uses, with a certificate to read, a request to build and an answer to verify besides.',
    'ocsp — "the ceiling over raw sockets": `bench/ocsp/socket-ceiling.js`, the same request written as HTTP/1.1 straight to a TCP socket, one connection each, 16 in flight, only the status line checked: the responder\'s own ceiling, for comparison with the one through Node\'s HTTP client.',
    'ocsp — "RSA CA": root and issuing CA with RSA-2048 keys, responder started with -resp_no_certs (the `ocsp` package verifies only RSA signatures, and checks an embedded certificate against the issuer\'s own key); certgate, the package and the ceiling all against that responder.',
  ],
  async run({ sizes, runs, workDir, cli, shellSample, log }) {
    const rows = []
    for (const size of sizes) {
      const setup = { workDir, size, runs, log }
      rows.push(...(await withResponder(setup, 'ec', (bench) => measureSize(bench, cli, shellSample))))
      rows.push(...(await withResponder(setup, 'rsa', (bench) => measureRsa(bench, cli))))
    }
    return rows
  },
}

/**
 * A PKI of `size` leaves (CA keys `caKeys`) and its responder, for `measure`;
 * the responder is stopped afterwards whatever happens. The RSA responder
 * sends no certificates, as the `ocsp` package needs (responder.js).
 */
async function withResponder({ workDir, size, runs, log }, caKeys, measure) {
  const dir = join(workDir, `ocsp-${size}-${caKeys}`)
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  log(`ocsp ${size}: generating certificates (${caKeys.toUpperCase()} CA)`)
  const pki = await createBenchPki({
    dir,
    count: size,
    urls: { ocsp: url },
    revokeEvery: REVOKE_EVERY,
    caKeys,
  })
  const responder = await startResponder(pki, port, { withoutCerts: caKeys === 'rsa' })
  try {
    return await measure({ pki, size, runs, url, responder, dir, log })
  } finally {
    await responder.stop()
  }
}

async function measureSize(bench, cli, shellSample) {
  const { size, log } = bench
  const work = `${size.toLocaleString('en')} certificates`
  log(`ocsp ${size}: openssl loop`)
  const loop = await timeOpensslLoop(bench, shellSample)
  const alternative = loopFor(loop, size)
  log(`ocsp ${size}: responder ceiling`)
  const floor = await timeCeiling(bench)
  const libraries = []
  for (const library of LIBRARIES) {
    log(`ocsp ${size}: ${library}`)
    libraries.push(await timeLibrary(bench, library))
  }
  const libraryRow = (certgate) => (library) => ({
    scenario: 'ocsp',
    work,
    certgate,
    alternative: library,
    floor,
    note: certgate ? 'the certgate runs of the row above' : undefined,
  })
  if (!cli)
    return [
      { scenario: 'ocsp', work, certgate: undefined, alternative, floor },
      ...libraries.map(libraryRow(undefined)),
    ]

  log(`ocsp ${size}: certgate, ${bench.runs} runs`)
  const once = await timeCertgate(bench, cli, [bench.pki.leaves[0].replace(/\/[^/]+$/, '')], 'once')
  log(`ocsp ${size}: certgate, the same certificates listed ${COPIES} times`)
  const copies = await listedTimes(bench)
  const repeated = await timeCertgate(bench, cli, copies, 'copies')
  log(`ocsp ${size}: certgate with --cache-dir`)
  const cacheDir = join(bench.dir, 'cache')
  const warm = await timeCertgate(bench, cli, copies.slice(0, 1), 'warm', ['--cache-dir', cacheDir], 1)
  const cached = await timeCertgate(bench, cli, copies.slice(0, 1), 'cached', ['--cache-dir', cacheDir])
  return [
    {
      scenario: 'ocsp',
      work,
      certgate: once,
      alternative,
      floor,
      note: `${requestsNote(once, bench.runs)}; concurrency ${CONCURRENCY}; ${cpuNote(once, floor)}`,
    },
    ...libraries.map(libraryRow(once)),
    {
      scenario: 'ocsp',
      work: `${work}, each listed ${COPIES}×`,
      certgate: repeated,
      alternative: loopFor(loop, size * COPIES),
      floor,
      note: `${requestsNote(repeated, bench.runs)}; time vs listed once: ${ratio(repeated.ms / once.ms)}`,
    },
    {
      scenario: 'ocsp',
      work: `${work}, --cache-dir warm`,
      certgate: cached,
      alternative,
      floor: undefined,
      note: `${requestsNote(cached, bench.runs)} (the run filling the cache sent ${warm.requests})`,
    },
  ]
}

/**
 * The `ocsp` package verifies RSA signatures only: certgate, the package and
 * the ceiling against a responder that signs with an RSA-2048 CA key.
 */
async function measureRsa(bench, cli) {
  const { size, log } = bench
  const work = `${size.toLocaleString('en')} certificates, RSA CA`
  log(`ocsp ${size} (RSA CA): responder ceiling`)
  const floor = await timeCeiling(bench)
  log(`ocsp ${size} (RSA CA): ocsp package`)
  const alternative = await timeLibrary(bench, 'ocsp')
  if (!cli) return [{ scenario: 'ocsp', work, certgate: undefined, alternative, floor }]
  log(`ocsp ${size} (RSA CA): certgate, ${bench.runs} runs`)
  const certgate = await timeCertgate(bench, cli, [bench.pki.leaves[0].replace(/\/[^/]+$/, '')], 'rsa')
  return [
    {
      scenario: 'ocsp',
      work,
      certgate,
      alternative,
      floor,
      note: `${requestsNote(certgate, bench.runs)}; ${cpuNote(certgate, floor)}`,
    },
  ]
}

/**
 * A client library (library-client.js) over every leaf, CONCURRENCY in flight;
 * it must give every leaf the index's answer for its time to count.
 */
async function timeLibrary({ pki, size, runs, dir }, library) {
  const args = [LIBRARY_CLIENT, library, pki.issuer, String(CONCURRENCY), ...pki.leaves]
  const stdoutFile = join(dir, `${library.replace(/\W+/g, '-')}.json`)
  const results = await repeat(runs, () => measureProcess(process.execPath, args, { stdoutFile }))
  for (const r of results) expectExit(r, [0], library)
  const counts = JSON.parse(await readFile(stdoutFile, 'utf8'))
  const revoked = pki.revoked.size
  if (counts.failed || counts.revoked !== revoked || counts.good !== size - revoked) {
    throw new Error(
      `${library}: ${JSON.stringify(counts)}; expected ${size - revoked} good and ${revoked} revoked`,
    )
  }
  return { ms: summarise(results).ms, label: `${library}, ${CONCURRENCY} in flight` }
}

function requestsNote(result, runs) {
  return `${(result.requests / runs).toLocaleString('en')} requests per run reached the responder`
}

/** The leaves in COPIES directories of their own: every certificate appears COPIES times in the input. */
async function listedTimes({ pki, dir }) {
  const leavesDir = join(pki.dir, 'leaves')
  const copies = []
  for (let i = 0; i < COPIES; i++) {
    const copy = join(dir, `listed-${i}`)
    await mkdir(copy, { recursive: true })
    await cp(leavesDir, copy, { recursive: true })
    copies.push(copy)
  }
  return copies
}

/**
 * certgate over `inputs` plus the issuer file, OCSP only. The report must give
 * every leaf the responder's answer (good, or revoked for the leaves the index
 * revokes); requests are counted at the responder over all runs.
 */
async function timeCertgate(bench, cli, inputs, name, extra = [], runs = bench.runs) {
  const { pki, responder, dir } = bench
  const args = [
    cli,
    'check',
    ...['--revocation', 'ocsp', '--allow-private-network', '--concurrency', String(CONCURRENCY)],
    ...['--format', 'json', '--trust', pki.root, ...extra],
    pki.issuer,
    ...inputs,
  ]
  const stdoutFile = join(dir, `certgate-${name}.json`)
  const before = responder.requests()
  const responderBefore = responder.cpuMs()
  const results = await repeat(runs, () => measureProcess(process.execPath, args, { stdoutFile }))
  const requests = responder.requests() - before
  const responderCpuMs = perRun(responderBefore, responder.cpuMs(), runs)
  for (const r of results) expectExit(r, [0, 1], 'certgate')
  const report = JSON.parse(await readFile(stdoutFile, 'utf8'))
  const leaves = report.certificates.filter((c) => c.role === 'leaf')
  const expected = bench.size * inputs.length
  const revoked = leaves.filter((c) => c.revocation?.status === 'revoked').length
  const good = leaves.filter((c) => c.revocation?.status === 'good').length
  const expectedRevoked = pki.revoked.size * inputs.length
  if (leaves.length !== expected || revoked !== expectedRevoked || good !== expected - expectedRevoked) {
    const other = leaves.find((c) => !['good', 'revoked'].includes(c.revocation?.status))
    throw new Error(
      `certgate ${name}: ${leaves.length} leaves, ${good} good, ${revoked} revoked; expected ${expected} ` +
        `with ${expectedRevoked} revoked${other ? ` (e.g. ${JSON.stringify(other.revocation)})` : ''}`,
    )
  }
  return { ...summarise(results), requests, responderCpuMs }
}

/**
 * The loop's time per certificate, from a sample: it costs one process and
 * one request per certificate, so it scales linearly to any count.
 */
async function timeOpensslLoop({ pki, size, runs, url }, shellSample) {
  const sample = pki.leaves.slice(0, Math.min(size, shellSample))
  const args = [OPENSSL_LOOP, pki.issuer, pki.chain, url, ...sample]
  const results = await repeat(runs, () => measureProcess('sh', args))
  for (const r of results) expectExit(r, [0], 'openssl ocsp loop')
  return { perCertificateMs: summarise(results).ms / sample.length, sample: sample.length }
}

/** The loop's time for `count` certificate checks (a loop does not notice duplicates). */
function loopFor(loop, count) {
  const scale = count / loop.sample
  const label =
    scale === 1
      ? 'openssl ocsp loop'
      : `openssl ocsp loop, ${loop.sample} certificates × ${scale.toFixed(scale % 1 ? 1 : 0)}`
  return { ms: loop.perCertificateMs * count, label }
}

async function timeCeiling({ pki, size, runs, url, dir, responder }) {
  const request = join(dir, 'ceiling-request.der')
  execFileSync('openssl', ['ocsp', '-issuer', pki.issuer, '-cert', pki.leaves[0], '-reqout', request], {
    stdio: 'ignore',
  })
  const args = [CEILING, url, request, String(size), String(CONCURRENCY)]
  const responderBefore = responder.cpuMs()
  const results = await repeat(runs, () => measureProcess(process.execPath, args))
  const responderCpuMs = perRun(responderBefore, responder.cpuMs(), runs)
  for (const r of results) expectExit(r, [0], 'responder ceiling')
  const { ms, cpuMs } = summarise(results)
  const sockets = await repeat(runs, () =>
    measureProcess(process.execPath, [SOCKET_CEILING, url, request, String(size), String(CONCURRENCY)]),
  )
  for (const r of sockets) expectExit(r, [0], 'responder ceiling over raw sockets')
  const socketMs = summarise(sockets).ms
  return { ms, label: `responder ceiling, ${CONCURRENCY} in flight`, cpuMs, responderCpuMs, socketMs }
}

/** CPU a peer used per run between two readings of it; undefined where it cannot be read. */
const perRun = (before, after, runs) =>
  before === undefined || after === undefined ? undefined : (after - before) / runs

/**
 * Who was busy: the CPU time certgate and the responder used per run, and
 * the ceiling client's and the responder's during the ceiling. When the
 * ceiling's client uses more CPU than the responder, the "ceiling" is that
 * of Node's HTTP client, not of the responder.
 */
function cpuNote(certgate, floor) {
  const cpu = (ms) => (ms === undefined ? '?' : duration(ms))
  return (
    `CPU per run: certgate ${cpu(certgate.cpuMs)}, responder ${cpu(certgate.responderCpuMs)}; ` +
    `ceiling client ${cpu(floor.cpuMs)}, responder ${cpu(floor.responderCpuMs)}; ` +
    `the ceiling over raw sockets instead of Node's HTTP client: ${duration(floor.socketMs)}`
  )
}
