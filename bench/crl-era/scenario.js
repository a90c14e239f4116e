// CRL-era scenario: the revocation check of a public CA that publishes
// partitioned CRLs only (BR 7.2, as Let's Encrypt since 2025). 1,000 leaves
// of one issuer spread over 8 shards; each shard's CRL holds 100,000 entries
// (about 4 MB) and an Issuing Distribution Point naming its URL, which each
// leaf's CRL Distribution Point names. certgate downloads the 8 CRLs from a
// local HTTP server, verifies and indexes them and judges every leaf; the
// alternative is the openssl a user would script: `openssl verify
// -crl_check` once per shard with that shard's CRL and its 125 leaves (the
// same checks: chain signature, CRL signature and scope, serial lookup),
// reading the CRLs from disk.
import { readFile, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { join } from 'node:path'
import { generateCrl } from '../crl/generate.js'
import { checkCrlWithCli } from '../crl/scenario.js'
import { createBenchPki } from '../lib/pki.js'
import { expectExit, measureProcess, repeat, summarise } from '../lib/measure.js'

const SHARDS = 8
const ENTRIES_PER_SHARD = 100_000
/** Every 50th leaf is listed on its shard's CRL, so the report must show both answers. */
const REVOKE_EVERY = 50
const DAY = 86_400_000

/** @type {import('../run.js').Scenario} */
export const crlEraScenario = {
  name: 'crl-era',
  defaultSizes: [1_000],
  notes: [
    `crl-era — certgate: \`node dist/cli.js check --revocation crl --allow-private-network --format json --trust root.pem issuer.pem <leaves>\`; ${SHARDS} partitioned CRLs of ${ENTRIES_PER_SHARD.toLocaleString('en')} entries each, served on 127.0.0.1, each with a critical Issuing Distribution Point naming its URL; every ${REVOKE_EVERY}th leaf listed; the report is checked to give every leaf its shard's answer.`,
    `crl-era — alternative: \`openssl verify -crl_check -CAfile root.pem -untrusted issuer.pem -CRLfile shard-K.crl <the shard's leaves>\`, once per shard (the CRLs read from disk, no download); its output is checked the same way.`,
  ],
  async run({ sizes, runs, workDir, cli, log }) {
    const rows = []
    for (const size of sizes) {
      const dir = join(workDir, `crl-era-${size}`)
      log(`crl-era ${size}: generating ${size} leaves and ${SHARDS} CRLs`)
      const bench = await prepare(dir, size)
      try {
        rows.push(await measure({ ...bench, size, runs, cli, dir, log }))
      } finally {
        await new Promise((resolve) => bench.server.close(resolve))
      }
    }
    return rows
  },
}

async function prepare(dir, size) {
  const crls = new Map()
  const server = createServer((request, response) => {
    const body = crls.get(request.url)
    if (!body) return void response.writeHead(404).end()
    response
      .writeHead(200, { 'content-type': 'application/pkix-crl', 'content-length': body.length })
      .end(body)
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const shardPath = (k) => `/shard-${k}.crl`
  const shardUrl = (k) => `http://127.0.0.1:${server.address().port}${shardPath(k)}`
  const shardOf = (i) => i % SHARDS
  const pki = await createBenchPki({ dir, count: size, urls: (i) => ({ crl: shardUrl(shardOf(i)) }) })
  const revoked = new Set(pki.serials.filter((_, i) => i % REVOKE_EVERY === REVOKE_EVERY - 1))
  const now = Date.now()
  const crlFiles = []
  for (let k = 0; k < SHARDS; k++) {
    const { der } = generateCrl({
      issuerCert: pki.issuerCert,
      issuerKey: pki.issuerKeys.privateKey,
      count: ENTRIES_PER_SHARD,
      listed: pki.serials.filter((serial, i) => shardOf(i) === k && revoked.has(serial)),
      thisUpdate: new Date(now - 3_600_000),
      nextUpdate: new Date(now + 7 * DAY),
      shardUrl: shardUrl(k),
    })
    crls.set(shardPath(k), der)
    const file = join(dir, `shard-${k}.crl`)
    // openssl verify -CRLfile reads PEM.
    await writeFile(
      file,
      `-----BEGIN X509 CRL-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`,
    )
    crlFiles.push(file)
  }
  const leavesOf = (k) => pki.leaves.filter((_, i) => shardOf(i) === k)
  const bytes = [...crls.values()].reduce((sum, der) => sum + der.length, 0)
  return { server, pki, revoked, crlFiles, leavesOf, bytes }
}

async function measure(bench) {
  const { size, runs, cli, log, bytes } = bench
  const work = `${size.toLocaleString('en')} leaves, ${SHARDS} partitioned CRLs × ${ENTRIES_PER_SHARD.toLocaleString('en')} entries (${Math.round(bytes / 2 ** 20)} MiB)`
  log(`crl-era ${size}: openssl verify -crl_check per shard`)
  const openssl = await repeat(runs, () => timeOpenssl(bench))
  const alternative = { ms: summarise(openssl).ms, label: `openssl verify -crl_check, ${SHARDS} runs` }
  if (!cli) return { scenario: 'crl-era', work, certgate: undefined, alternative, floor: undefined }
  log(`crl-era ${size}: certgate, ${runs} runs`)
  const certgate = await timeCertgate(bench)
  return {
    scenario: 'crl-era',
    work,
    certgate,
    alternative,
    floor: undefined,
    note: `${bench.revoked.size} leaves revoked, ${size - bench.revoked.size} good; ${SHARDS} CRL downloads`,
  }
}

/** One openssl run per shard, its output checked leaf by leaf; the time is the sum. */
async function timeOpenssl({ pki, crlFiles, leavesOf, revoked }) {
  const serialOf = new Map(pki.leaves.map((file, i) => [file, pki.serials[i]]))
  let ms = 0
  for (let k = 0; k < SHARDS; k++) {
    const leaves = leavesOf(k)
    const args = [
      'verify',
      '-crl_check',
      '-CAfile',
      pki.root,
      '-untrusted',
      pki.issuer,
      '-CRLfile',
      crlFiles[k],
    ]
    const result = await measureProcess('openssl', [...args, ...leaves], {
      stdoutFile: join(pki.dir, 'openssl.out'),
    })
    expectExit(result, [0, 2], 'openssl verify')
    const output = (await readFile(join(pki.dir, 'openssl.out'), 'utf8')) + result.stderr
    for (const leaf of leaves) {
      const ok = output.includes(`${leaf}: OK`)
      if (ok === revoked.has(serialOf.get(leaf)))
        throw new Error(`openssl verify judged ${leaf} wrongly: ${output.slice(0, 400)}`)
    }
    ms += result.ms
  }
  return { ms, maxRssKiB: 0 }
}

async function timeCertgate(bench) {
  const { summary, report } = await checkCrlWithCli(bench)
  for (const leaf of report.certificates.filter((c) => c.role === 'leaf')) {
    const expected = bench.revoked.has(leaf.serial) ? 'revoked' : 'good'
    if (leaf.revocation.status !== expected)
      throw new Error(
        `certgate judged ${leaf.file} ${leaf.revocation.status} (${leaf.revocation.detail}), expected ${expected}`,
      )
  }
  return summary
}
