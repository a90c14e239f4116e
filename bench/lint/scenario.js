// Lint scenario: certgate over N leaf files (revocation off) against the shell
// loop a user would write and against Node's own parse + verify floor.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { generateLintCertificates, writeCorpus } from './generate.js'
import { measureProcess, median, repeat } from '../lib/measure.js'

const OPENSSL_LOOP = fileURLToPath(new URL('./openssl-loop.sh', import.meta.url))
const FLOOR = fileURLToPath(new URL('./floor.js', import.meta.url))

/** @type {import('../run.js').Scenario} */
export const lintScenario = {
  name: 'lint',
  defaultSizes: [1_000, 10_000],
  async run({ sizes, runs, workDir, cli, shellSample, log }) {
    log(`lint: generating ${Math.max(...sizes).toLocaleString('en')} certificates`)
    const generated = await generateLintCertificates(Math.max(...sizes))
    const rows = []
    for (const size of sizes) {
      const corpus = await writeCorpus(generated, size, join(workDir, `lint-${size}`))
      log(`lint ${size}: certgate, ${runs} runs`)
      const certgate = cli ? await timeCertgate(cli, corpus, size, runs, workDir) : undefined
      log(`lint ${size}: openssl loop`)
      const alternative = await timeOpensslLoop(corpus, size, runs, shellSample)
      log(`lint ${size}: floor`)
      const floor = await timeFloor(corpus, runs)
      rows.push({
        scenario: 'lint',
        work: `${size.toLocaleString('en')} certificates`,
        certgate,
        alternative,
        floor,
      })
    }
    return rows
  },
}

async function timeCertgate(cli, corpus, size, runs, workDir) {
  const args = [
    cli,
    'check',
    '--revocation',
    'off',
    '--format',
    'json',
    '--trust',
    corpus.root,
    corpus.certsDir,
  ]
  const stdoutFile = join(workDir, `certgate-${size}.json`)
  const results = await repeat(runs, () => measureProcess(process.execPath, args, { stdoutFile }))
  for (const r of results) expectExit(r, [0, 1], 'certgate')
  // A fast wrong answer is no result: the report must cover every leaf.
  const report = JSON.parse(await readFile(stdoutFile, 'utf8'))
  const leaves = report.certificates.filter((c) => c.role === 'leaf').length
  if (leaves !== size) throw new Error(`certgate reported ${leaves} leaves, expected ${size}`)
  return { ms: median(results.map((r) => r.ms)), maxRssKiB: Math.max(...results.map((r) => r.maxRssKiB)) }
}

/** Run on a sample and scaled linearly: the loop costs two process starts per file, whatever the file. */
async function timeOpensslLoop(corpus, size, runs, shellSample) {
  const sample = corpus.leaves.slice(0, Math.min(size, shellSample))
  const args = [OPENSSL_LOOP, corpus.root, corpus.intermediates, ...sample]
  const results = await repeat(runs, () => measureProcess('sh', args))
  for (const r of results) expectExit(r, [0], 'openssl loop')
  const scale = size / sample.length
  const label =
    scale === 1
      ? 'openssl loop'
      : `openssl loop, ${sample.length} files × ${scale.toFixed(scale % 1 ? 1 : 0)}`
  return { ms: median(results.map((r) => r.ms)) * scale, label }
}

async function timeFloor(corpus, runs) {
  const args = [FLOOR, corpus.root, corpus.intermediates, corpus.certsDir]
  const results = await repeat(runs, () => measureProcess(process.execPath, args))
  for (const r of results) expectExit(r, [0], 'floor')
  return { ms: median(results.map((r) => r.ms)), label: 'node:crypto parse + verify' }
}

function expectExit(result, allowed, what) {
  if (!allowed.includes(result.exitCode)) {
    throw new Error(`${what} exited ${result.exitCode}: ${result.stderr.trim().slice(0, 500)}`)
  }
}
