// Advice names what the user can set where certgate runs. The action has no
// flags: an annotation saying "pass --issuer" leaves the workflow author with
// nothing to type. Each case below makes the engine give one piece of advice,
// runs the real action entry on it and checks that the advice names the
// input (or, where the action has none, the config key), and that the
// command line still names its flag.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Report } from '../../src/report/types.js'
import { bundle, runAction, type ActionRun } from '../helpers/action.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { compliantCa, tempDir, type Issued } from '../helpers/pki.js'
import { runCheck } from '../helpers/run-check.js'
import { startFaultServer, type FaultServer } from '../reliability/fault-server.js'
import { leaf } from '../reliability/fixtures.js'

/** The workflow command lines (annotations, setFailed) that carry `text`. */
const commandsWith = (run: ActionRun, text: string): string[] =>
  run.stdout.split('\n').filter((line) => line.startsWith('::') && line.includes(text))

/** No flag of the command line in any of them: a workflow cannot pass one. */
const FLAG = /(^|[\s(;,])--[a-z]/

const reportOf = (workspace: string): Report =>
  JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as Report

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js: advice names inputs, not flags', () => {
  let ca: { root: Issued; intermediate: Issued }
  let workspace: string
  let faults: FaultServer
  let files: FileServer

  beforeAll(async () => {
    ca = await compliantCa('Advice')
    faults = await startFaultServer()
    files = await serveFiles()
    workspace = tempDir('certgate-action-advice-')
    writeFileSync(join(workspace, 'root.pem'), ca.root.pem)
    writeFileSync(join(workspace, 'intermediate.pem'), ca.intermediate.pem)
    const write = async (name: string, pointers: { ocsp?: string; crl?: string }) => {
      const urls = {
        ocsp: pointers.ocsp === undefined ? undefined : [pointers.ocsp],
        crl: pointers.crl === undefined ? undefined : [pointers.crl],
      }
      writeFileSync(join(workspace, name), (await leaf(ca, name.replace('.pem', '.test'), urls)).pem)
    }
    await write('ocsp-only.pem', { ocsp: 'http://ocsp.example.test/' })
    await write('crl-only.pem', { crl: 'http://crl.example.test/ca.crl' })
    await write('silent-responder.pem', { ocsp: faults.url('silent') })
    // Any body longer than the budget: it is cut off before it is read as a CRL.
    files.set('/large.crl', new Uint8Array(4096))
    await write('large-crl.pem', { crl: files.url('/large.crl') })
    mkdirSync(join(workspace, 'etc', 'nginx'), { recursive: true })
    mkdirSync(join(workspace, 'etc', 'shared'), { recursive: true })
    writeFileSync(join(workspace, 'etc', 'nginx', 'nginx.conf'), 'http {\n  include ../shared/tls.conf;\n}\n')
    writeFileSync(join(workspace, 'etc', 'shared', 'tls.conf'), 'ssl_stapling on;\n')
  })
  afterAll(async () => {
    await faults.close()
    await files.close()
    rmSync(workspace, { recursive: true, force: true })
  })

  /** The action on `file` with the intermediate and root given, as a workflow would. */
  const action = (file: string, inputs: Record<string, string> = {}) =>
    runAction(workspace, {
      files: file,
      issuers: 'intermediate.pem',
      trust: 'root.pem',
      'report-file': 'report.json',
      ...inputs,
    })

  test('--revocation crl on a certificate without a CRL: the "revocation" input set to crl', async () => {
    const run = await action('ocsp-only.pem', { revocation: 'crl' })
    const [line] = commandsWith(run, 'cannot check it')
    expect(line).toMatch(/^::error title=certgate revocation unreachable,file=ocsp-only\.pem,line=1::/)
    expect(line).toContain('so input "revocation" set to crl cannot check it')
    expect(line).not.toMatch(FLAG)

    const cli = await runCheck(
      ['--revocation', 'crl', '--issuer', 'intermediate.pem', '--trust', 'root.pem', 'ocsp-only.pem'],
      workspace,
    )
    expect(cli.report.certificates[0].revocation?.detail).toContain('so --revocation crl cannot check it')
  })

  test('--revocation ocsp on a certificate without a responder: the "revocation" input set to ocsp', async () => {
    const run = await action('crl-only.pem', { revocation: 'ocsp' })
    const [line] = commandsWith(run, 'cannot check it')
    expect(line).toContain('so input "revocation" set to ocsp cannot check it')
    expect(line).not.toMatch(FLAG)
  })

  test('no issuer for a revocation request: the "issuers" input', async () => {
    const run = await action('crl-only.pem', { revocation: 'crl', issuers: '' })
    const [entry] = reportOf(workspace).certificates
    expect(entry.revocation?.detail).toBe(
      'its issuer was not found, so no request can name it; add the chain or pass input "issuers"',
    )
    // chain-incomplete says the same about the path.
    const [line] = commandsWith(run, 'certgate chain-incomplete')
    expect(line).toContain('add the intermediate to the file or pass input "issuers"')
    expect(line).not.toMatch(FLAG)

    const cli = await runCheck(['--revocation', 'crl', '--trust', 'root.pem', 'crl-only.pem'], workspace)
    expect(cli.report.certificates[0].revocation?.detail).toContain('add the chain or pass --issuer')
  })

  test('an intermediate without its root: the "trust" and "issuers" inputs', async () => {
    const run = await action('intermediate.pem', { issuers: '', trust: '' })
    const [line] = commandsWith(run, 'certgate chain-incomplete')
    expect(line).toContain(
      'if it is your root, pass it with input "trust"; if it is an intermediate, add it to the file or pass input "issuers"',
    )
    expect(line).not.toMatch(FLAG)

    const cli = await runCheck(['--revocation', 'off', 'intermediate.pem'], workspace)
    expect(JSON.stringify(cli.report)).toContain(
      'if it is your root, pass it with --trust; if it is an intermediate, add it to the file or pass --issuer',
    )
  })

  test('a responder on a private address: the "allow-private-network" input set to true', async () => {
    const run = await action('silent-responder.pem', { revocation: 'ocsp' })
    const [line] = commandsWith(run, 'loopback or private address')
    expect(line).toMatch(/^::error title=certgate revocation unreachable,file=silent-responder\.pem,line=1::/)
    expect(line).toContain('; pass input "allow-private-network" set to true to reach it')
    expect(line).not.toMatch(FLAG)

    const cli = await runCheck(
      ['--revocation', 'ocsp', '--issuer', 'intermediate.pem', '--trust', 'root.pem', 'silent-responder.pem'],
      workspace,
    )
    expect(cli.report.certificates[0].revocation?.detail).toContain(
      '; pass --allow-private-network to reach it',
    )
  })

  test('a responder that never answers: the "timeout" input', async () => {
    const run = await action('silent-responder.pem', {
      revocation: 'ocsp',
      'allow-private-network': 'true',
      timeout: '1s',
      retries: '0',
    })
    const [line] = commandsWith(run, 'no complete answer within 1000 ms')
    expect(line).toContain('check that the server is up or raise input "timeout"')
    expect(line).not.toMatch(FLAG)
  })

  test('a CRL past the CRL budget: the "crl-budget" input', async () => {
    const run = await action('large-crl.pem', {
      revocation: 'crl',
      'allow-private-network': 'true',
      'crl-budget': '1KiB',
    })
    const [line] = commandsWith(run, 'past the CRL budget of')
    expect(line).toContain('raise input "crl-budget", or check fewer certificates')
    expect(line).not.toMatch(FLAG)
  })

  test('an include outside the server root: the "server-root" input', async () => {
    const run = await runAction(workspace, { files: '', 'server-configs': 'etc/nginx/nginx.conf' })
    const [line] = commandsWith(run, 'outside the server root')
    expect(line).toMatch(/file=etc\/nginx\/nginx\.conf,line=2::/)
    expect(line).toContain('not followed (give input "server-root" to widen it)')
    expect(line).not.toMatch(FLAG)
  })

  test('a resolve entry for no endpoint: both named as inputs', async () => {
    const run = await runAction(workspace, { files: 'ocsp-only.pem', resolve: 'typo.example:443:127.0.0.1' })
    expect(run.code).toBe(1)
    expect(run.stdout).toContain(
      '::error::certgate: input "resolve": "typo.example:443:127.0.0.1" names no input "endpoints" typo.example:443',
    )
  })

  test('merge-reports given something else than a report: the "report-file" input', async () => {
    writeFileSync(join(workspace, 'not-a-report.json'), '{"hello": "world"}\n')
    const run = await runAction(workspace, { 'merge-reports': 'not-a-report.json' })
    expect(run.code).toBe(1)
    const [line] = commandsWith(run, 'not a certgate JSON report')
    expect(line).toContain('write one with input "report-file"')
    expect(line).not.toMatch(FLAG)
  })
})
