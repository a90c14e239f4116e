// The evidence rules end to end: the CRLs and OCSP responses a check used are
// linted, and the findings land on the certificate whose check used them,
// naming the URL. Responses come from `openssl ocsp` answering on 127.0.0.1
// (through the tests' loopback front end) with the validity it was told (-nmin/-ndays), CRLs from `openssl ca
// -gencrl` (-crldays, and one over 10 MB from a long index) behind a local
// HTTP server.
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { derOfPem } from '../helpers/pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'
import { certificateEntry, runCheck } from '../helpers/run-check.js'

const run = async (pki: OpensslPki, mode: 'ocsp' | 'crl', ...extra: string[]) => {
  const result = await runCheck(
    [
      ...['--allow-private-network', '--retries', '0', '--revocation', mode, '--nonce', 'off'],
      ...[
        '--trust',
        pki.path('root.crt'),
        '--issuer',
        pki.path('intermediate.crt'),
        ...extra,
        pki.path('leaf-good.crt'),
      ],
    ],
    pki.dir,
  )
  const leaf = certificateEntry(result, pki.leaves['leaf-good'].sha256)
  return { leaf, rules: leaf.findings.map((f) => f.rule) }
}

describe('OCSP validity interval (BR 4.9.9), against openssl ocsp', () => {
  let pki: OpensslPki
  let responder: ServerProcess | undefined
  beforeAll(async () => {
    pki = createOpensslPki(await freePort())
  })
  afterEach(async () => {
    if (responder) await stopProcess(responder)
    responder = undefined
  })
  afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

  /** `openssl ocsp` (behind the loopback front end) on the port the leaf's AIA names, answering valid for `validity`. */
  const answerWith = async (validity: ['-ndays' | '-nmin', number]) => {
    responder = await pki.startResponder('delegated', pki.port, validity)
  }

  test('a day is within the window: no finding', async () => {
    await answerWith(['-ndays', 1])
    const { leaf, rules } = await run(pki, 'ocsp')
    expect(leaf.revocation.status).toBe('good')
    expect(rules).not.toContain('ocsp-validity-interval')
  })

  test('5 minutes is too short, reported on the leaf with the responder URL', async () => {
    await answerWith(['-nmin', 5])
    // A 1-minute margin keeps the 5-minute answer fresh: the finding is about the CA, not the verdict.
    const { leaf } = await run(pki, 'ocsp', '--next-update-margin', '1m')
    expect(leaf.revocation.status).toBe('good')
    expect(leaf.findings).toContainEqual({
      rule: 'ocsp-validity-interval',
      severity: 'warning',
      message: expect.stringMatching(
        new RegExp(
          `^OCSP response from http://127\\.0\\.0\\.1:${pki.port} has a validity interval of 5 minutes .*at least 8 hours`,
        ),
      ),
    })
  })

  test('11 days is too long', async () => {
    await answerWith(['-ndays', 11])
    const { leaf } = await run(pki, 'ocsp')
    expect(leaf.findings).toContainEqual(
      expect.objectContaining({
        rule: 'ocsp-validity-interval',
        message: expect.stringContaining('at most 10 days'),
      }),
    )
  })
})

describe('CRL validity and size, against openssl ca -gencrl', () => {
  let pki: OpensslPki
  let server: FileServer
  beforeAll(async () => {
    pki = createOpensslPki(await freePort())
    server = await serveFiles(pki.port)
  })
  afterAll(async () => {
    await server.close()
    rmSync(pki.dir, { recursive: true, force: true })
  })

  const crl = (path: string): Uint8Array => derOfPem(readFileSync(path, 'utf8'))

  test('7 days passes, 11 days is reported on the leaf with the CRL URL', async () => {
    server.set('/intermediate.crl', crl(pki.gencrl('week.crl', 7)))
    expect((await run(pki, 'crl')).rules).not.toContain('crl-validity-too-long')

    server.set('/intermediate.crl', crl(pki.gencrl('long.crl', 11)))
    const { leaf } = await run(pki, 'crl')
    expect(leaf.revocation.status).toBe('good')
    expect(leaf.findings).toContainEqual({
      rule: 'crl-validity-too-long',
      severity: 'warning',
      message: expect.stringMatching(
        new RegExp(
          `^CRL ${server.url('/intermediate.crl').replace(/\./g, '\\.')} is valid for 11 days .*at most 10 days`,
        ),
      ),
    })
  })

  test('a CRL over 10 MB is reported, the verdict still given', async () => {
    // 290,000 revoked entries with reason codes: about 10.7 MB of DER.
    const fake = Array.from(
      { length: 290_000 },
      (_, i) =>
        `R\t300101000000Z\t260101000000Z,keyCompromise\t${(0x20000000 + i).toString(16).toUpperCase()}\tunknown\t/CN=revoked-${i}`,
    )
    writeFileSync(
      pki.path('big-index.txt'),
      readFileSync(pki.path('index.txt'), 'utf8') + fake.join('\n') + '\n',
    )
    writeFileSync(
      pki.path('big.cnf'),
      readFileSync(pki.path('openssl.cnf'), 'utf8').replace('/index.txt', '/big-index.txt'),
    )
    pki.openssl(['ca', '-config', 'big.cnf', '-gencrl', '-crldays', '7', '-out', 'big.crl'])
    const body = crl(pki.path('big.crl'))
    expect(body.byteLength).toBeGreaterThan(10_000_000)
    server.set('/intermediate.crl', body)

    const { leaf } = await run(pki, 'crl')
    expect(leaf.revocation.status).toBe('good')
    expect(leaf.findings).toContainEqual({
      rule: 'crl-too-large',
      severity: 'warning',
      message: expect.stringContaining(
        `CRL ${server.url('/intermediate.crl')} is ${(body.byteLength / 1e6).toFixed(1)} MB`,
      ),
    })
  }, 60_000)
})
