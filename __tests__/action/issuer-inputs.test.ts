// The action's `issuers` and `responder-certs` inputs: the settings of the
// command line's --issuer and --responder-cert, which a workflow could only
// reach through the config file before. Run as the runner runs the action,
// against certificates and OCSP responses the test makes with openssl.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Report } from '../../src/report/types.js'
import { bundle, runAction } from '../helpers/action.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { compliantCa, issue, leafExtensions, tempDir } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'
import { runCheck } from '../helpers/run-check.js'

const reportOf = (workspace: string): Report =>
  JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as Report

const describeBundle = existsSync(bundle) ? describe : describe.skip

describeBundle('input "issuers"', () => {
  let workspace: string

  beforeAll(async () => {
    const ca = await compliantCa('Issuers Input')
    const leaf = await issue({
      cn: 'issuers.example.test',
      issuer: ca.intermediate,
      days: 90,
      extensions: leafExtensions('issuers.example.test'),
    })
    workspace = tempDir('certgate-action-issuers-')
    // The leaf alone, as some deployments keep it; the intermediate sits elsewhere in the repository.
    writeFileSync(join(workspace, 'site.pem'), leaf.pem)
    writeFileSync(join(workspace, 'intermediate.pem'), ca.intermediate.pem)
    writeFileSync(join(workspace, 'root.pem'), ca.root.pem)
  })
  afterAll(() => rmSync(workspace, { recursive: true, force: true }))

  test('an intermediate given by issuers completes the chain', async () => {
    const inputs = { files: 'site.pem', trust: 'root.pem', 'report-file': 'report.json' }
    const without = await runAction(workspace, inputs)
    expect(without.stdout).toMatch(
      /^::error title=certgate chain-incomplete,file=site\.pem,line=1::.*pass input "issuers"$/m,
    )
    expect(without.outputs.result).toBe('fail')

    const given = await runAction(workspace, { ...inputs, issuers: 'intermediate.pem' })
    expect(given.stdout).not.toMatch(/chain-incomplete/)
    const [entry] = reportOf(workspace).certificates
    expect(entry.chainStatus).toBe('valid')
    expect(given.outputs.result).toBe('pass')
    expect(given.code).toBe(0)
  })

  test('an issuers file that does not exist fails the step, naming the input', async () => {
    const run = await runAction(workspace, { files: 'site.pem', issuers: 'missing.pem' })
    expect(run.code).toBe(1)
    expect(run.stdout).toMatch(/^::error::certgate: input "issuers": .*missing\.pem/m)
  })
})

describeBundle('input "responder-certs"', () => {
  let pki: OpensslPki
  let responses: FileServer

  beforeAll(async () => {
    const port = await freePort()
    pki = createOpensslPki(port)
    // A responder the CA never certified: only pinning it makes its answers count. The response
    // carries no certificate (-resp_no_certs), as responders that expect their signer to be known do.
    pki.openssl([
      ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
      ...['-keyout', 'pinned.key', '-out', 'pinned.crt', '-days', '30'],
      ...['-subj', '/O=certgate Test/CN=certgate Pinned Responder'],
    ])
    pki.openssl([
      ...['ocsp', '-issuer', 'intermediate.crt', '-cert', 'leaf-good.crt', '-reqout', 'pinned.req'],
      '-no_nonce',
    ])
    pki.openssl([
      ...['ocsp', '-index', 'index.txt', '-CA', 'intermediate.crt', '-rsigner', 'pinned.crt'],
      ...['-rkey', 'pinned.key', '-resp_no_certs', '-reqin', 'pinned.req', '-respout', 'pinned.ocsp'],
      ...['-ndays', '1'],
    ])
    // The leaf's OCSP URL (127.0.0.1:port) answers with that response, whatever the request.
    responses = await serveFiles(port)
    responses.set('*', {
      body: readFileSync(pki.path('pinned.ocsp')),
      contentType: 'application/ocsp-response',
    })
  })
  afterAll(async () => {
    await responses.close()
    rmSync(pki.dir, { recursive: true, force: true })
  })

  const inputs = {
    files: 'leaf-good.crt',
    issuers: 'intermediate.crt',
    trust: 'root.crt',
    revocation: 'ocsp',
    'allow-private-network': 'true',
    'report-file': 'report.json',
  }

  test('a response signed by the pinned responder verifies only when responder-certs names it', async () => {
    const unpinned = await runAction(pki.dir, inputs)
    const [refused] = reportOf(pki.dir).certificates
    expect(refused.revocation).toMatchObject({ source: 'ocsp', status: 'invalid' })
    expect(refused.revocation?.detail).toBe(
      'no certificate matches the ResponderID (not the issuer, an embedded certificate or input "responder-certs")',
    )
    expect(unpinned.outputs.result).toBe('fail')

    const pinned = await runAction(pki.dir, { ...inputs, 'responder-certs': 'pinned.crt' })
    const [accepted] = reportOf(pki.dir).certificates
    expect(accepted.revocation).toMatchObject({ source: 'ocsp', status: 'good' })
    expect(pinned.stdout).not.toMatch(/certgate revocation/)

    // The command line names its flag in the same refusal.
    const cli = await runCheck(
      [
        ...['--revocation', 'ocsp', '--allow-private-network', '--issuer', 'intermediate.crt'],
        ...['--trust', 'root.crt', 'leaf-good.crt'],
      ],
      pki.dir,
    )
    expect(cli.report.certificates[0].revocation?.detail).toContain(
      'an embedded certificate or --responder-cert)',
    )
  })

  test('nonce has no input: a refusal it causes names the config key', async () => {
    // The stored answer echoes no nonce; the config asks for one.
    writeFileSync(pki.path('.certgate.yml'), 'nonce: require\n')
    try {
      const run = await runAction(pki.dir, { ...inputs, 'responder-certs': 'pinned.crt' })
      const [entry] = reportOf(pki.dir).certificates
      expect(entry.revocation).toMatchObject({ status: 'invalid' })
      expect(entry.revocation?.detail).toBe(
        'the responder did not echo the nonce (.certgate.yml key "nonce" set to require); the answer may be replayed',
      )
      expect(run.outputs.result).toBe('fail')
    } finally {
      rmSync(pki.path('.certgate.yml'))
    }
  })

  test('a stored response judged alone, with no issuer to check it: the "issuers" and "trust" inputs', async () => {
    const run = await runAction(pki.dir, { files: '', staples: 'pinned.ocsp', 'report-file': 'report.json' })
    const staple = reportOf(pki.dir).files.find((f) => f.file === 'pinned.ocsp')
    expect(staple?.revocation?.detail).toBe(
      'no issuer certificate to authenticate the response with; pass input "issuers" or input "trust"',
    )
    expect(run.stdout).toMatch(/file=pinned\.ocsp,line=1::.*pass input "issuers" or input "trust"$/m)
  })
})
