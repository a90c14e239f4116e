// CRL scenario: a CRL of N entries (default 1,000,000, about 49 MB of DER)
// made and served over HTTP by the bench. certgate's CRL path downloads,
// indexes and verifies it and answers 10,000 lookups; `openssl crl -noout
// -CAfile` parses and verifies the same file. The CLI is also run end to end
// on two leaves the CRL covers, one listed and one not.
import { execFileSync } from 'node:child_process'
import { writeFile, readFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createBenchPki } from '../lib/pki.js'
import { expectExit, measureProcess, median, repeat, summarise } from '../lib/measure.js'
import { duration } from '../lib/table.js'
import { generateCrl } from './generate.js'

const DRIVER = fileURLToPath(new URL('./driver.ts', import.meta.url))
const NCC = fileURLToPath(new URL('../../node_modules/.bin/ncc', import.meta.url))
const LOOKUPS = 10_000
const DAY = 86_400_000

/** @type {import('../run.js').Scenario} */
export const crlScenario = {
  name: 'crl',
  defaultSizes: [1_000_000],
  notes: [
    `crl — certgate: \`bench/crl/driver.ts\`, bundled from src with ncc at bench time, runs the CLI's own CrlLoader (HTTP download, DER index, signature check with node:crypto) and judgeCrl, then ${LOOKUPS.toLocaleString('en')} lookups (half listed serials, half random); 10,000 leaves through the CLI would time the linter instead. The "CLI, 2 leaves" row is \`node dist/cli.js check --revocation crl\` end to end on one listed and one unlisted leaf.`,
    'crl — alternative: `openssl crl -inform DER -noout -CAfile chain.pem` on the same file (parse and signature check; no download, no lookups).',
  ],
  async run({ sizes, runs, workDir, cli, log }) {
    const rows = []
    const driver = cli ? bundleDriver(workDir, log) : undefined
    for (const size of sizes) {
      const dir = join(workDir, `crl-${size}`)
      log(`crl ${size}: generating the CRL`)
      const served = await serveCrl(dir, size)
      try {
        rows.push(...(await measureSize({ ...served, size, runs, dir, driver, cli, log })))
      } finally {
        await new Promise((resolve) => served.server.close(resolve))
      }
    }
    return rows
  },
}

/** The driver as one JavaScript file built from the current src; type-checking is tsc's job, not the bench's. */
function bundleDriver(workDir, log) {
  log('crl: bundling bench/crl/driver.ts with ncc')
  const out = join(workDir, 'crl-driver')
  execFileSync(NCC, ['build', DRIVER, '-o', out, '--quiet', '--transpile-only', '--target', 'es2022'], {
    stdio: 'inherit',
  })
  return join(out, 'index.js')
}

/**
 * Generates the PKI (two leaves naming the CRL URL) and the CRL listing the
 * first leaf, writes both, and serves the CRL from memory on 127.0.0.1.
 */
async function serveCrl(dir, size) {
  let crlDer
  const server = createServer((request, response) => {
    response.writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': crlDer.length })
    response.end(crlDer)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/issuer.crl`
  const pki = await createBenchPki({ dir, count: 2, urls: { crl: url } })
  const now = Date.now()
  const { der, serials } = generateCrl({
    issuerCert: pki.issuerCert,
    issuerKey: pki.issuerKeys.privateKey,
    count: size,
    listed: [pki.serials[0]],
    thisUpdate: new Date(now - 3_600_000),
    nextUpdate: new Date(now + 7 * DAY),
  })
  crlDer = der
  const crlFile = join(dir, 'issuer.crl')
  await writeFile(crlFile, der)
  // Half the lookups hit listed serials, half miss: both ends of the binary search.
  const lookups = []
  for (let i = 0; i < LOOKUPS; i++) {
    const listed = i % 2 === 0
    const at = Math.floor(Math.random() * size) * 16
    lookups.push(
      listed ? serials.subarray(at, at + 16).toString('hex') : `7f${i.toString(16).padStart(30, '0')}`,
    )
  }
  const lookupsFile = join(dir, 'lookups.txt')
  await writeFile(lookupsFile, lookups.join('\n') + '\n')
  return { server, url, pki, crlFile, bytes: der.length, lookupsFile, expectedFound: Math.ceil(LOOKUPS / 2) }
}

async function measureSize(bench) {
  const { size, runs, pki, crlFile, bytes, log } = bench
  const work = `${size.toLocaleString('en')}-entry CRL (${Math.round(bytes / 2 ** 20)} MiB)`
  log(`crl ${size}: openssl crl`)
  const openssl = await repeat(runs, () =>
    measureProcess('openssl', ['crl', '-inform', 'DER', '-in', crlFile, '-noout', '-CAfile', pki.chain]),
  )
  for (const r of openssl) {
    expectExit(r, [0], 'openssl crl')
    if (!/verify OK/.test(r.stderr)) throw new Error(`openssl crl did not verify the CRL: ${r.stderr}`)
  }
  const opensslSummary = summarise(openssl)
  const alternative = {
    ms: opensslSummary.ms,
    label: `openssl crl -CAfile, ${Math.round(opensslSummary.maxRssKiB / 1024)} MiB`,
  }
  if (!bench.driver) return [{ scenario: 'crl', work, certgate: undefined, alternative, floor: undefined }]

  log(`crl ${size}: certgate CRL path (driver), ${runs} runs`)
  const driverRuns = await timeDriver(bench)
  log(`crl ${size}: certgate CLI on two leaves, ${runs} runs`)
  const cliRun = await timeCli(bench)
  return [
    {
      scenario: 'crl',
      work: `${work}: download, verify, index, ${LOOKUPS.toLocaleString('en')} lookups`,
      certgate: driverRuns.summary,
      alternative,
      floor: undefined,
      note:
        `download + index + verify ${duration(driverRuns.phases.downloadIndexVerifyMs)}, ` +
        `${duration(driverRuns.phases.perLookupMs)} per lookup`,
    },
    {
      scenario: 'crl',
      work: `${work}: CLI, 2 leaves`,
      certgate: cliRun,
      alternative,
      floor: undefined,
      note: 'one leaf listed (revoked), one not (good)',
    },
  ]
}

async function timeDriver({ driver, url, pki, lookupsFile, expectedFound, runs, dir }) {
  const stdoutFile = join(dir, 'driver.json')
  const args = [driver, url, pki.issuer, pki.leaves[0], lookupsFile, String(expectedFound)]
  const results = []
  const phases = []
  for (let i = 0; i < runs; i++) {
    const result = await measureProcess(process.execPath, args, { stdoutFile })
    expectExit(result, [0], 'crl driver')
    results.push(result)
    phases.push(JSON.parse(await readFile(stdoutFile, 'utf8')))
  }
  const middle = (key) => median(phases.map((p) => p[key]))
  return {
    summary: summarise(results),
    phases: { downloadIndexVerifyMs: middle('downloadIndexVerifyMs'), perLookupMs: middle('perLookupMs') },
  }
}

async function timeCli(bench) {
  const { summary, report } = await checkCrlWithCli(bench)
  const statuses = report.certificates.filter((c) => c.role === 'leaf').map((c) => c.revocation?.status)
  if (statuses.join() !== 'revoked,good')
    throw new Error(`certgate judged the leaves ${statuses.join(', ')}, expected revoked, good`)
  return summary
}

/**
 * `node dist/cli.js check --revocation crl` on every leaf of `pki` (and its
 * issuer), `runs` times: the timing and the last run's JSON report.
 */
export async function checkCrlWithCli({ cli, pki, runs, dir }) {
  const args = [
    cli,
    'check',
    ...['--revocation', 'crl', '--allow-private-network', '--format', 'json', '--trust', pki.root],
    pki.issuer,
    ...pki.leaves,
  ]
  const stdoutFile = join(dir, 'certgate.json')
  const results = await repeat(runs, () => measureProcess(process.execPath, args, { stdoutFile }))
  for (const r of results) expectExit(r, [0, 1], 'certgate')
  return { summary: summarise(results), report: JSON.parse(await readFile(stdoutFile, 'utf8')) }
}
