// Bounds (issue 12): what hostile input costs. One certificate repeated N
// times in one file, rendered as text and JSON (report building must stay
// linear); one leaf naming 20 CRL distribution points that serve ~94 MiB
// badly signed CRLs (peak memory: a CRL that fails verification is released
// at once, and only 4 distribution points are tried); one leaf naming 20
// silent OCSP URLs with --timeout 1s --retries 0 (only 4 are tried).
import { readFile, writeFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { join } from 'node:path'
import { webcrypto } from 'node:crypto'
import { createBenchPki } from '../lib/pki.js'
import { expectExit, measureProcess, repeat, summarise } from '../lib/measure.js'
import { generateCrl } from '../crl/generate.js'

const DAY = 86_400_000
/** Entries of each badly signed CRL: about 94 MiB of DER, as in the issue. */
const BAD_CRL_ENTRIES = Number(process.env.BENCH_BOUNDS_CRL_ENTRIES ?? 1_900_000)
const URLS = 20

/** @type {import('../run.js').Scenario} */
export const boundsScenario = {
  name: 'bounds',
  defaultSizes: [20_000],
  notes: [
    'bounds — repeated: `node dist/cli.js check --revocation off --format text|json` on one file holding the same certificate N times (before the fix the text took 16.8 s for 21,564 copies).',
    `bounds — bad CRLs: one leaf naming ${URLS} CRL distribution points, each serving the same ${BAD_CRL_ENTRIES.toLocaleString('en')}-entry CRL signed by the wrong key, from a server in the bench; \`check --revocation crl --allow-private-network\`; the verdict must be invalid. Peak memory is what --crl-budget and releasing bad CRLs bound (before: every CRL kept, 3.5 GB peak).`,
    `bounds — silent OCSP: one leaf naming ${URLS} OCSP URLs of a local server that accepts and never answers, \`--timeout 1s --retries 0\` (before: all ${URLS} tried, ${URLS} s).`,
  ],
  async run({ sizes, runs, workDir, cli, log }) {
    if (!cli) return []
    const rows = []
    for (const copies of sizes) rows.push(...(await repeated({ copies, runs, workDir, cli, log })))
    rows.push(await badCrls({ runs, workDir, cli, log }))
    rows.push(await silentOcsp({ runs, workDir, cli, log }))
    return rows
  },
}

async function repeated({ copies, runs, workDir, cli, log }) {
  const dir = join(workDir, `bounds-repeated-${copies}`)
  const pki = await createBenchPki({ dir, count: 1, urls: {} })
  const pem = await readFile(pki.leaves[0], 'utf8')
  const file = join(dir, 'repeated.pem')
  await writeFile(file, pem.repeat(copies))
  const rows = []
  for (const format of ['text', 'json']) {
    log(`bounds: ${copies.toLocaleString('en')} copies, ${format}, ${runs} runs`)
    const results = await repeat(runs, () =>
      measureProcess(process.execPath, [cli, 'check', '--revocation', 'off', '--format', format, file], {
        cwd: dir,
      }),
    )
    // The leaf's issuer is not given: chain-incomplete fails the gate (exit 1), as it should.
    for (const r of results) expectExit(r, [1], `certgate check --format ${format}`)
    rows.push({
      scenario: 'bounds',
      work: `1 certificate × ${copies.toLocaleString('en')} in one file, ${format}`,
      certgate: summarise(results),
      alternative: undefined,
      floor: undefined,
    })
  }
  return rows
}

async function badCrls({ runs, workDir, cli, log }) {
  const dir = join(workDir, 'bounds-bad-crls')
  let served = 0
  let body
  const server = createHttpServer((request, response) => {
    served++
    response.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length })
    response.end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const base = `http://127.0.0.1:${server.address().port}`
    const urls = Array.from({ length: URLS }, (_, i) => `${base}/bad-${i}.crl`)
    const pki = await createBenchPki({ dir, count: 1, urls: { crl: urls } })
    const wrongKey = await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
      'sign',
    ])
    log(`bounds: generating a ${BAD_CRL_ENTRIES.toLocaleString('en')}-entry CRL signed by the wrong key`)
    body = generateCrl({
      issuerCert: pki.issuerCert,
      issuerKey: wrongKey.privateKey,
      count: BAD_CRL_ENTRIES,
      listed: [],
      thisUpdate: new Date(Date.now() - 3_600_000),
      nextUpdate: new Date(Date.now() + 7 * DAY),
    }).der
    const reportFile = join(dir, 'report.json')
    const args = [
      cli,
      'check',
      '--format',
      'json',
      '--revocation',
      'crl',
      '--allow-private-network',
      '--trust',
      pki.root,
      '--issuer',
      pki.issuer,
      pki.leaves[0],
    ]
    log(`bounds: ${URLS} distribution points of bad CRLs, ${runs} runs`)
    const before = served
    const results = await repeat(runs, () =>
      measureProcess(process.execPath, args, { cwd: dir, stdoutFile: reportFile }),
    )
    for (const r of results) expectExit(r, [1], 'certgate check --revocation crl')
    const report = JSON.parse(await readFile(reportFile, 'utf8'))
    const status = report.certificates.find((c) => c.role === 'leaf')?.revocation.status
    if (status !== 'invalid') throw new Error(`the leaf under badly signed CRLs is ${status}, not invalid`)
    return {
      scenario: 'bounds',
      work: `${URLS} distribution points × ${Math.round(body.length / 2 ** 20)} MiB badly signed CRL`,
      certgate: summarise(results),
      alternative: undefined,
      floor: undefined,
      note: `${(served - before) / runs} CRLs downloaded per run; verdict invalid`,
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
}

async function silentOcsp({ runs, workDir, cli, log }) {
  const dir = join(workDir, 'bounds-silent-ocsp')
  const sockets = new Set()
  let accepted = 0
  const server = createTcpServer((socket) => {
    accepted++
    sockets.add(socket)
    socket.on('error', () => undefined)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    const base = `http://127.0.0.1:${server.address().port}`
    const urls = Array.from({ length: URLS }, (_, i) => `${base}/ocsp-${i}`)
    const pki = await createBenchPki({ dir, count: 1, urls: { ocsp: urls } })
    const args = [
      cli,
      'check',
      '--format',
      'json',
      '--allow-private-network',
      '--timeout',
      '1s',
      '--retries',
      '0',
      '--ocsp-method',
      'post',
      '--trust',
      pki.root,
      '--issuer',
      pki.issuer,
      pki.leaves[0],
    ]
    log(`bounds: ${URLS} silent OCSP URLs, ${runs} runs`)
    const before = accepted
    const results = await repeat(runs, () => measureProcess(process.execPath, args, { cwd: dir }))
    for (const r of results) expectExit(r, [1], 'certgate check over silent OCSP URLs')
    return {
      scenario: 'bounds',
      work: `${URLS} silent OCSP URLs, --timeout 1s --retries 0`,
      certgate: summarise(results),
      alternative: undefined,
      floor: undefined,
      note: `${(accepted - before) / runs} connections per run`,
    }
  } finally {
    for (const socket of sockets) socket.destroy()
    await new Promise((resolve) => server.close(resolve))
  }
}
