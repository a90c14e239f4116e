// `npm run demo`: certgate against a real, throwaway PKI. Builds the PKI with
// openssl, answers OCSP with `openssl ocsp` (behind a front end on 127.0.0.1:
// `openssl ocsp -port` would listen on every interface) and serves the CRLs
// and CA certificates from a small HTTP server on 127.0.0.1, then runs the bundled CLI twice: on a
// correct chain (must pass) and on a folder of every common mistake (must
// fail). Exits 0 only when both runs end with the exit code expected.
//
//   node scripts/demo.js [--keep] [--revocation auto|ocsp|crl|off]
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildDemoPki } from './demo-pki.js'
import { startOpensslOcsp } from './openssl-ocsp-server.js'

const repo = dirname(dirname(fileURLToPath(import.meta.url)))
const cli = join(repo, 'dist', 'cli.js')

// The demo asks the real responder (OCSP where the leaf names one, else the
// CRL); `--revocation off` shows the lint verdicts alone.
const DEFAULT_REVOCATION = 'auto'

const EXIT = { pass: 0, fail: 1 }

const { values: options } = parseArgs({
  options: {
    keep: { type: 'boolean', default: false },
    revocation: { type: 'string', default: process.env.CERTGATE_DEMO_REVOCATION ?? DEFAULT_REVOCATION },
  },
})

/** Everything started or created, so one cleanup can undo it on success, error or Ctrl-C. */
const resources = { dir: undefined, responder: undefined, publisher: undefined, cli: undefined }

async function main() {
  if (!existsSync(cli)) {
    console.error(
      `certgate demo: ${relative(process.cwd(), cli)} is missing; build the bundle first (npm run bundle).`,
    )
    return 2
  }
  resources.dir = await mkdtemp(join(tmpdir(), 'certgate-demo-'))
  const published = new Map()
  resources.publisher = await startPublisher(published)
  const ocspPort = await freePort()
  const publishUrl = `http://127.0.0.1:${resources.publisher.address().port}`
  const ocspUrl = `http://127.0.0.1:${ocspPort}`

  console.log(`Building a throwaway PKI in ${resources.dir} (root RSA-2048 → intermediate EC P-256 → leaves)`)
  const pki = await buildDemoPki(resources.dir, { ocspUrl, publishUrl })
  for (const [path, file] of Object.entries(pki.published)) published.set(path, await readFile(file))
  resources.responder = await startResponder(pki, ocspPort)
  console.log(`OCSP responder (openssl ocsp, one run per request) at ${ocspUrl}`)
  console.log(`CRLs and CA certificates at ${publishUrl}`)
  console.log(`Revocation checking: ${options.revocation}`)

  const common = ['check', '--trust', pki.root, '--allow-private-network', '--revocation', options.revocation]
  banner('1/2 A correct chain: expect PASS')
  const first = await runCli([...common, pki.goodChain])

  banner('2/2 Everything that can go wrong: expect FAIL')
  console.log(`${basename(pki.certsDir)}/ holds the correct chain and:`)
  for (const c of pki.cases) console.log(`  ${basename(c.file).padEnd(30)} ${c.problem} (${c.rule})`)
  if (options.revocation === 'off')
    console.log('  (revocation is off: the revoked leaf passes unnoticed until it is on)')
  console.log()
  const second = await runCli([...common, pki.certsDir])

  console.log()
  const verdicts = [verdict('Run 1/2', 'pass', first), verdict('Run 2/2', 'fail', second)]
  for (const v of verdicts) console.log(v.line)
  if (options.keep) console.log(`Kept ${resources.dir}`)
  return verdicts.every((v) => v.ok) ? 0 : 1
}

function banner(title) {
  console.log(`\n${'='.repeat(72)}\n${title}\n${'='.repeat(72)}`)
}

function verdict(label, expected, exitCode) {
  const ok = exitCode === EXIT[expected]
  const got = exitCode === EXIT.pass ? 'PASS' : exitCode === EXIT.fail ? 'FAIL' : 'ERROR'
  const line = ok
    ? `${label}: ${got} as expected (exit ${exitCode})`
    : `${label}: expected ${expected.toUpperCase()} (exit ${EXIT[expected]}), got ${got} (exit ${exitCode})`
  return { ok, line }
}

/** Runs the bundled CLI with its output on ours; resolves to its exit code. */
function runCli(args) {
  console.log(`$ node ${relative(process.cwd(), cli)} ${args.join(' ')}\n`)
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'inherit', 'inherit'] })
    resources.cli = child
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      resources.cli = undefined
      resolve(code ?? `signal ${signal}`)
    })
  })
}

/** Serves the CRLs and CA certificates the certificates point at (CRL DP, AIA caIssuers). */
function startPublisher(published) {
  const server = createServer((req, res) => {
    const body = published.get(new URL(req.url ?? '/', 'http://localhost').pathname)
    if (!body) return res.writeHead(404).end()
    const type = req.url.endsWith('.crl') ? 'application/pkix-crl' : 'application/pkix-cert'
    res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(server))
  })
}

/** A port that was free a moment ago: the leaves' AIA names it before the responder starts. */
function freePort() {
  const probe = createServer()
  return new Promise((resolve, reject) => {
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address()
      probe.close(() => resolve(port))
    })
  })
}

/**
 * Answers OCSP as the intermediate's own responder (CA-signed answers).
 * nextUpdate is a day ahead so the answers are not judged stale against
 * certgate's default 1h margin.
 */
function startResponder(pki, port) {
  const args = ['-index', pki.index, '-CA', pki.intermediate]
  args.push('-rsigner', pki.intermediate, '-rkey', pki.intermediateKey, '-ndays', '1')
  return startOpensslOcsp({ args, cwd: pki.caDir, port })
}

/** Stops what main() started; safe to call twice and from a signal handler. */
async function cleanup() {
  const { responder, publisher, cli: cliChild, dir } = resources
  Object.assign(resources, { responder: undefined, publisher: undefined, cli: undefined, dir: undefined })
  cliChild?.kill('SIGTERM')
  await responder?.close()
  await new Promise((resolve) => (publisher ? publisher.close(resolve) : resolve()))
  if (dir && !options.keep) await rm(dir, { recursive: true, force: true })
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.error(`\ncertgate demo: ${signal}, cleaning up`)
    cleanup().finally(() => process.exit(130))
  })
}

let exitCode = 1
try {
  exitCode = await main()
} catch (error) {
  console.error(`certgate demo failed: ${error instanceof Error ? error.message : error}`)
} finally {
  await cleanup()
}
process.exit(exitCode)
