// Each gate option changes the verdict of a CLI run against real peers on
// 127.0.0.1: an `openssl ocsp` responder (behind a small gateway that also
// serves the CRLs made by `openssl ca -gencrl`), or a port nobody listens on.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request, type Server } from 'node:http'
import { runCli } from '../src/cli.js'
import type { Cert } from '../src/model/cert.js'
import { buildCert } from '../src/model/build.js'
import { renderText } from '../src/report/text.js'
import type { CertificateReport, Report } from '../src/report/types.js'
import { createOpensslPki, type OpensslPki } from './helpers/openssl-pki.js'
import { tempDir } from './helpers/pki.js'
import { freePort, stopProcess, type ServerProcess } from './helpers/processes.js'

const DAY = 86_400_000

interface Run {
  code: number
  report: Report
}

/** `certgate check --format json` in-process, with the options every run here shares. */
async function check(pki: OpensslPki, chainFile: string, ...extra: string[]): Promise<Run> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void) =>
    ({ write: (s: string) => (append(s), true) }) as unknown as NodeJS.WritableStream
  const args = ['check', '--format', 'json', '--allow-private-network', '--trust', pki.path('root.crt')]
  const code = await runCli([...args, '--retries', '0', ...extra, pki.path(chainFile)], {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: pki.dir,
  })
  if (!stdout.startsWith('{')) throw new Error(`no JSON report (exit ${code}): ${stderr}`)
  return { code, report: JSON.parse(stdout) as Report }
}

const entry = (run: Run, cert: Cert): CertificateReport => {
  const found = run.report.certificates.find((c) => c.sha256 === cert.sha256)
  if (!found) throw new Error(`${cert.subject} is not in the report`)
  return found
}

/** Writes `<leaf>` followed by the intermediate, as a server's chain file. */
function writeChain(pki: OpensslPki, leaf: string): string {
  const file = `${leaf}.chain.pem`
  writeFileSync(
    pki.path(file),
    readFileSync(pki.path(`${leaf}.crt`), 'utf8') + readFileSync(pki.path('intermediate.crt'), 'utf8'),
  )
  return file
}

describe('--soft-fail', () => {
  let pki: OpensslPki
  beforeAll(async () => {
    // Nothing ever listens on this port: every OCSP and CRL URL is unreachable.
    pki = createOpensslPki(await freePort())
  })
  afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

  test('turns an unreachable responder from a failure into a warning', async () => {
    const chain = writeChain(pki, 'leaf-good')
    const hard = await check(pki, chain)
    const soft = await check(pki, chain, '--soft-fail')
    expect(entry(hard, pki.leaves['leaf-good']).revocation.status).toBe('unreachable')
    expect(hard.code).toBe(1)
    expect(hard.report.summary.failed).toBeGreaterThan(0)

    expect(entry(soft, pki.leaves['leaf-good']).revocation.status).toBe('unreachable')
    expect(soft.code).toBe(0)
    expect(soft.report.result).toBe('pass')
    expect(soft.report.summary.failed).toBe(0)
    const unreachable = soft.report.certificates.filter((c) => c.revocation.status === 'unreachable').length
    expect(soft.report.summary.warnings - hard.report.summary.warnings).toBe(unreachable)
  })
})

/**
 * The URL the certificates name: CRLs by path, anything else (OCSP) passed
 * on to the `openssl ocsp` process when one runs, else a 502.
 */
async function startGateway(port: number, crls: Record<string, string>, ocspPort: number): Promise<Server> {
  const server = createServer((req, res) => {
    const file = crls[req.url ?? '']
    if (file) {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(readFileSync(file))
      return
    }
    const upstream = request(
      { host: '127.0.0.1', port: ocspPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => res.writeHead(502).end())
    req.pipe(upstream)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  return server
}

const ROOT_CA_CONFIG = (port: number): string => `[ root_ca ]
dir = .
database = $dir/root-index.txt
crlnumber = $dir/root-crlnumber
certificate = $dir/root.crt
private_key = $dir/root.key
default_md = sha256
default_crl_days = 30
[ v3_crl_only ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:localhost
crlDistributionPoints = URI:http://127.0.0.1:${port}/intermediate.crl
`

describe('against an openssl CA and its responder', () => {
  let pki: OpensslPki
  let gateway: Server
  let ocspPort: number
  let crlOnly: Cert

  beforeAll(async () => {
    pki = createOpensslPki(await freePort())
    ocspPort = await freePort()
    pki.revoke('leaf-revoked.crt', 'keyCompromise')
    writeFileSync(pki.path('verdicts.cnf'), ROOT_CA_CONFIG(pki.port))
    writeFileSync(pki.path('root-index.txt'), '')
    writeFileSync(pki.path('root-crlnumber'), '1000\n')
    pki.openssl(['ca', '-config', 'verdicts.cnf', '-name', 'root_ca', '-gencrl', '-out', 'root.crl'])
    // A leaf that names only a CRL, so `auto` judges it by the intermediate's CRL.
    pki.openssl(
      ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'].concat([
        '-keyout',
        'leaf-crl.key',
        '-out',
        'leaf-crl.csr',
        '-subj',
        '/CN=leaf-crl.test',
        '-config',
        'openssl.cnf',
      ]),
    )
    pki.openssl(
      [
        'ca',
        '-batch',
        '-config',
        'openssl.cnf',
        '-extfile',
        'verdicts.cnf',
        '-extensions',
        'v3_crl_only',
      ].concat(['-notext', '-in', 'leaf-crl.csr', '-out', 'leaf-crl.crt']),
    )
    const pem = readFileSync(pki.path('leaf-crl.crt'), 'utf8').replace(/-----[A-Z ]+-----|\s+/g, '')
    crlOnly = buildCert(new Uint8Array(Buffer.from(pem, 'base64')), {
      file: 'leaf-crl.crt',
      line: 1,
      index: 0,
    })
    // nextUpdate one day on: good now, stale three days from now.
    pki.gencrl('intermediate.crl', 1)
    gateway = await startGateway(
      pki.port,
      { '/root.crl': pki.path('root.crl'), '/intermediate.crl': pki.path('intermediate.crl') },
      ocspPort,
    )
  })
  afterAll(async () => {
    gateway.closeAllConnections()
    await new Promise((resolve) => gateway.close(resolve))
    rmSync(pki.dir, { recursive: true, force: true })
  })

  describe('with the responder running', () => {
    let responder: ServerProcess
    beforeAll(async () => {
      responder = await pki.startResponder('delegated', ocspPort)
    })
    afterAll(() => stopProcess(responder))

    test('--fail-on error lets a revoked certificate pass the gate', async () => {
      const chain = writeChain(pki, 'leaf-revoked')
      const strict = await check(pki, chain)
      const lenient = await check(pki, chain, '--fail-on', 'error')
      for (const run of [strict, lenient]) {
        expect(entry(run, pki.leaves['leaf-revoked']).revocation).toMatchObject({
          source: 'ocsp',
          status: 'revoked',
          reason: 'keyCompromise',
        })
      }
      expect(strict.code).toBe(1)
      expect(lenient.code).toBe(0)
      expect(lenient.report.result).toBe('pass')
    })
  })

  test('--cache-dir keeps the answer good after the responder is gone', async () => {
    const cacheDir = tempDir('certgate-verdicts-cache-')
    const chain = writeChain(pki, 'leaf-good')
    const responder = await pki.startResponder('delegated', ocspPort)
    try {
      const first = await check(pki, chain, '--cache-dir', cacheDir)
      expect(entry(first, pki.leaves['leaf-good']).revocation.status).toBe('good')
      expect(entry(first, pki.leaves['leaf-good']).revocation.cached).toBeUndefined()
      expect(first.code).toBe(0)
    } finally {
      await stopProcess(responder)
    }
    const cached = await check(pki, chain, '--cache-dir', cacheDir)
    const uncached = await check(pki, chain)
    rmSync(cacheDir, { recursive: true, force: true })
    // source keeps the contract's value; cached says the answer came from --cache-dir.
    const reused = entry(cached, pki.leaves['leaf-good']).revocation
    expect(reused).toMatchObject({ source: 'ocsp', status: 'good', cached: true })
    expect(renderText(cached.report, { color: false })).toContain('revocation good, via ocsp (cache)')
    expect(cached.code).toBe(0)
    expect(entry(uncached, pki.leaves['leaf-good']).revocation.status).toBe('unreachable')
    expect(uncached.code).toBe(1)
  })

  test('--now past the CRL nextUpdate makes a good CRL answer stale', async () => {
    const chain = writeChain(pki, 'leaf-crl')
    const later = new Date(Date.now() + 3 * DAY)
    // The certificates themselves are still valid then: only the CRL has aged.
    for (const cert of [crlOnly, pki.intermediate, pki.root]) expect(cert.notAfter > later).toBe(true)

    const today = await check(pki, chain)
    const inThreeDays = await check(pki, chain, '--now', later.toISOString())
    expect(entry(today, crlOnly).revocation).toMatchObject({ source: 'crl', status: 'good' })
    expect(today.code).toBe(0)
    expect(entry(inThreeDays, crlOnly).revocation).toMatchObject({ source: 'crl', status: 'stale' })
    expect(inThreeDays.code).toBe(1)
  })
})
