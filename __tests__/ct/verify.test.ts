// SCTs signed by test logs over certificates the tests issue (helpers/ct-log.ts
// writes the signed structure from RFC 6962 §3.2 on its own), verified by
// src/ct: valid ones count, tampered ones do not, and openssl's own SCT
// validation (s_client -ct) agrees on the same certificate.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { webcrypto } from 'node:crypto'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { precertificateTbs } from '../../src/ct/certificate.js'
import { assessCt } from '../../src/ct/index.js'
import { parseLogList, type CtLogList } from '../../src/ct/log-list.js'
import { createTestLog, issueWithScts, listEntry, logList, type TestLog } from '../helpers/ct-log.js'
import { compliantCa, leafExtensions, tempDir, type Issued } from '../helpers/pki.js'
import { freePort, spawnServer, stopProcess } from '../helpers/processes.js'

const HOUR = 3_600_000
let ca: { root: Issued; intermediate: Issued }
let ecLog: TestLog
let rsaLog: TestLog
let otherLog: TestLog
let logs: CtLogList

const now = () => new Date()
const judge = (cert: Issued, list: CtLogList | undefined = logs) => judgeWith(cert, list)
const judgeWith = (cert: Issued, list: CtLogList | undefined) =>
  assessCt(cert.model, ca.intermediate.model, {
    logs: list,
    required: false,
    now: now(),
    clockSkewMs: 300_000,
  })

beforeAll(async () => {
  ca = await compliantCa('certgate CT Test')
  ecLog = await createTestLog('ec256')
  rsaLog = await createTestLog('rsa2048')
  otherLog = await createTestLog('ec256')
  logs = parseLogList(
    logList({
      'Operator A': [listEntry(ecLog, 'Test EC log', { name: 'usable', since: '2020-01-01T00:00:00Z' })],
      'Operator B': [listEntry(rsaLog, 'Test RSA log', { name: 'usable', since: '2020-01-01T00:00:00Z' })],
    }),
    'test list',
  )
})

describe('precertificate TBS', () => {
  test('is exactly the TBS of the same certificate issued without the SCT list, wherever the extension sits', async () => {
    for (const position of [undefined, 0, 2]) {
      const { cert, precertTbs } = await issueWithScts(
        { cn: 'pos.test', issuer: ca.intermediate, extensions: leafExtensions('pos.test') },
        [{ log: ecLog }],
        position,
      )
      expect(Buffer.from(precertificateTbs(cert.der)).equals(Buffer.from(precertTbs))).toBe(true)
    }
  })
})

describe('SCT signatures', () => {
  test('ECDSA and RSA SCTs over the precertificate entry verify and name their logs', async () => {
    const { cert } = await issueWithScts(
      { cn: 'ok.test', issuer: ca.intermediate, extensions: leafExtensions('ok.test') },
      [{ log: ecLog }, { log: rsaLog }],
    )
    const ct = judge(cert)
    expect(ct.verified).toBe(true)
    expect(ct.scts).toEqual([
      expect.objectContaining({
        logId: ecLog.logId,
        log: { description: 'Test EC log', operator: 'Operator A', state: 'usable' },
      }),
      expect.objectContaining({
        logId: rsaLog.logId,
        log: { description: 'Test RSA log', operator: 'Operator B', state: 'usable' },
      }),
    ])
    expect(ct.scts.map((s) => s.problem)).toEqual([undefined, undefined])
  })

  test('an SCT over other bytes, or for another certificate, does not verify', async () => {
    const flipLastTbsByte = (signed: Uint8Array) => {
      const copy = Uint8Array.from(signed)
      copy[copy.length - 3] ^= 1
      return copy
    }
    const { cert } = await issueWithScts(
      { cn: 'tampered.test', issuer: ca.intermediate, extensions: leafExtensions('tampered.test') },
      [{ log: ecLog, tamper: flipLastTbsByte }, { log: rsaLog }],
    )
    const [tampered, fine] = judge(cert).scts
    expect(tampered.problem).toMatch(/does not verify with the log's key .*precertificate entry/)
    expect(tampered.problemSeverity).toBe('error')
    expect(fine.problem).toBeUndefined()

    // The same SCT judged with another issuer: the issuer key hash is part of what was signed.
    const other = assessCt(cert.model, ca.root.model, { logs, required: false, now: now(), clockSkewMs: 0 })
    expect(other.scts[1].problem).toMatch(/does not verify/)
  })

  test('a log the list does not name is a warning; without a list nothing is verified', async () => {
    const { cert } = await issueWithScts(
      { cn: 'unknown.test', issuer: ca.intermediate, extensions: leafExtensions('unknown.test') },
      [{ log: otherLog }],
    )
    expect(judge(cert).scts[0]).toMatchObject({
      problem: expect.stringContaining('does not name'),
      problemSeverity: 'warning',
    })
    expect(judgeWith(cert, undefined)).toEqual({
      verified: false,
      required: false,
      scts: [{ logId: otherLog.logId, timestamp: expect.any(Date) }],
    })
  })
})

describe('log state at the SCT time', () => {
  const listWith = (state: string, since: string, extra: Record<string, unknown> = {}) =>
    parseLogList(
      logList({ A: [listEntry(ecLog, 'Test EC log', { name: state, since }, extra)] }),
      'test list',
    )

  test('retired: counts before the retirement, not after', async () => {
    const sctTime = new Date(Date.now() - 2 * HOUR)
    const { cert } = await issueWithScts(
      { cn: 'retired.test', issuer: ca.intermediate, extensions: leafExtensions('retired.test') },
      [{ log: ecLog, timestamp: sctTime }],
    )
    expect(
      judge(cert, listWith('retired', new Date(Date.now() - HOUR).toISOString())).scts[0].problem,
    ).toBeUndefined()
    expect(
      judge(cert, listWith('retired', new Date(Date.now() - 3 * HOUR).toISOString())).scts[0].problem,
    ).toMatch(/which was retired on .*: the certificate's earliest SCT is dated .*, after that/)
  })

  test('retired: judged by the certificate’s earliest SCT, as Chrome does', async () => {
    // Logged to the RSA log three hours ago and to the EC log one hour ago; the EC log retired two hours ago.
    const { cert } = await issueWithScts(
      { cn: 'earliest.test', issuer: ca.intermediate, extensions: leafExtensions('earliest.test') },
      [
        { log: rsaLog, timestamp: new Date(Date.now() - 3 * HOUR) },
        { log: ecLog, timestamp: new Date(Date.now() - HOUR) },
      ],
    )
    const retired = new Date(Date.now() - 2 * HOUR).toISOString()
    const list = parseLogList(
      logList({
        A: [listEntry(ecLog, 'Test EC log', { name: 'retired', since: retired })],
        B: [listEntry(rsaLog, 'Test RSA log', { name: 'usable', since: '2020-01-01T00:00:00Z' })],
      }),
      'test list',
    )
    expect(judge(cert, list).scts.map((s) => s.problem)).toEqual([undefined, undefined])
  })

  test('pending and rejected logs never count; read-only logs issue nothing after they freeze', async () => {
    const { cert } = await issueWithScts(
      { cn: 'states.test', issuer: ca.intermediate, extensions: leafExtensions('states.test') },
      [{ log: ecLog }],
    )
    expect(judge(cert, listWith('pending', '2020-01-01T00:00:00Z')).scts[0].problem).toMatch(/pending/)
    expect(judge(cert, listWith('rejected', '2020-01-01T00:00:00Z')).scts[0].problem).toMatch(/rejected/)
    expect(
      judge(cert, listWith('readonly', new Date(Date.now() - 2 * HOUR).toISOString())).scts[0].problem,
    ).toMatch(/after the log became read-only/)
    expect(judge(cert, listWith('qualified', '2020-01-01T00:00:00Z')).scts[0].problem).toBeUndefined()
  })

  test('a temporal shard accepts only certificates expiring in its interval', async () => {
    const { cert } = await issueWithScts(
      { cn: 'shard.test', issuer: ca.intermediate, extensions: leafExtensions('shard.test') },
      [{ log: ecLog }],
    )
    const shard = (start: Date, end: Date) =>
      listWith('usable', '2020-01-01T00:00:00Z', {
        temporal_interval: { start_inclusive: start.toISOString(), end_exclusive: end.toISOString() },
      })
    const notAfter = cert.model.notAfter.getTime()
    expect(
      judge(cert, shard(new Date(notAfter - HOUR), new Date(notAfter + HOUR))).scts[0].problem,
    ).toBeUndefined()
    expect(
      judge(cert, shard(new Date(notAfter + HOUR), new Date(notAfter + 2 * HOUR))).scts[0].problem,
    ).toMatch(/accepts only certificates expiring from/)
  })

  test('an SCT dated in the future does not count', async () => {
    const { cert } = await issueWithScts(
      { cn: 'future.test', issuer: ca.intermediate, extensions: leafExtensions('future.test') },
      [{ log: ecLog, timestamp: new Date(Date.now() + 2 * HOUR) }],
    )
    expect(judge(cert).scts[0].problem).toMatch(/in the future/)
  })
})

describe('openssl agrees (s_client -ct validates the same SCTs)', () => {
  let dir: string
  beforeAll(() => {
    dir = tempDir('certgate-ct-openssl-')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const pkcs8Pem = async (key: webcrypto.CryptoKey) =>
    `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key))
      .toString('base64')
      .replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`

  /** Serves `cert` with s_server and returns what s_client -ct says about its SCTs. */
  async function opensslSays(cert: Issued): Promise<string> {
    writeFileSync(join(dir, 'leaf.pem'), cert.pem)
    writeFileSync(join(dir, 'leaf.key'), await pkcs8Pem(cert.keys.privateKey))
    writeFileSync(join(dir, 'chain.pem'), ca.intermediate.pem)
    writeFileSync(join(dir, 'root.pem'), ca.root.pem)
    const logFile = [ecLog, rsaLog]
      .map(
        (log, i) =>
          `[log${i}]\ndescription = test log ${i}\nkey = ${Buffer.from(log.spki).toString('base64')}\n`,
      )
      .join('')
    writeFileSync(join(dir, 'ct_logs.cnf'), `enabled_logs = log0,log1\n${logFile}`)
    const port = await freePort()
    const server = await spawnServer(
      'openssl',
      [
        's_server',
        '-accept',
        `127.0.0.1:${port}`,
        '-cert',
        'leaf.pem',
        '-key',
        'leaf.key',
        '-cert_chain',
        'chain.pem',
        '-www',
      ],
      { cwd: dir, port },
    )
    try {
      const client = spawnSync(
        'openssl',
        [
          's_client',
          '-connect',
          `127.0.0.1:${port}`,
          '-ct',
          '-ctlogfile',
          'ct_logs.cnf',
          '-CAfile',
          'root.pem',
        ],
        { cwd: dir, input: '', encoding: 'utf8', timeout: 10_000 },
      )
      return client.stdout + client.stderr
    } finally {
      await stopProcess(server)
    }
  }

  test('valid and tampered SCTs get the same verdict from both', async () => {
    const { cert } = await issueWithScts(
      { cn: 'localhost', issuer: ca.intermediate, extensions: leafExtensions('localhost') },
      [{ log: ecLog }, { log: rsaLog, tamper: (s) => Uint8Array.from(s, (b, i) => (i === 20 ? b ^ 1 : b)) }],
    )
    const ours = judge(cert).scts.map((s) => (s.problem ? 'invalid' : 'valid'))
    const output = await opensslSays(cert)
    // openssl prints each SCT's status, then the SCT with the log's description from ct_logs.cnf.
    const theirs = [
      ...output.matchAll(
        /SCT validation status: (\w+)\s+Signed Certificate Timestamp:[^]*?Log\s*: test log (\d)/g,
      ),
    ]
      .sort((a, b) => Number(a[2]) - Number(b[2]))
      .map((m) => m[1])
    expect(ours).toEqual(['valid', 'invalid'])
    expect(theirs).toEqual(ours)
  })
})
