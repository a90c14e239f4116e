// Real certificates with real SCTs: the x509-limbo "online" chains (leaves
// of akamai.com, google.com, … as served in 2023) judged with entries of
// Chrome's own log list (chrome-log-list-32.19-subset.json, its source in
// the file). Every SCT openssl lists is found, every one verifies with its
// log's published key, and each leaf meets Chrome's CT policy; one flipped
// bit in an SCT's signature makes that SCT invalid.
import { describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { decodeCertificates } from '../../src/chain/decode.js'
import { embeddedSctList } from '../../src/ct/certificate.js'
import { assessCt } from '../../src/ct/index.js'
import { parseLogList } from '../../src/ct/log-list.js'
import { policyShortfalls } from '../../src/ct/policy.js'
import { readSctList } from '../../src/ct/sct.js'
import type { Cert } from '../../src/model/cert.js'
import { CONFORMANCE_ABSENT, conformanceVectors } from '../helpers/conformance.js'
import { runCheck } from '../helpers/run-check.js'

const LIMBO = conformanceVectors('x509-limbo')
const LOG_LIST = join(process.cwd(), '__tests__', 'ct', 'chrome-log-list-32.19-subset.json')

interface OnlineCase {
  id: string
  dir: string
  /** Two days after the corpus's validation time (the leaf's notBefore): its SCTs, made minutes later, are past. */
  judgedAt: string
}

function onlineCases(): OnlineCase[] {
  if (!LIMBO) return []
  const manifest = JSON.parse(readFileSync(join(LIMBO, 'manifest.json'), 'utf8')) as {
    cases: { id: string; files: { peer: string }; inputs: { validation_time: string } }[]
  }
  return manifest.cases
    .filter((c) => c.id.startsWith('online::'))
    .map((c) => ({
      id: c.id,
      dir: join(LIMBO, c.files.peer, '..'),
      judgedAt: new Date(Date.parse(c.inputs.validation_time) + 2 * 86_400_000).toISOString(),
    }))
}

/** The log IDs openssl reads from the leaf's SCT list, as base64. */
function opensslLogIds(peer: string): string[] {
  const text = execFileSync('openssl', ['x509', '-in', peer, '-noout', '-ext', 'ct_precert_scts'], {
    encoding: 'utf8',
  })
  return [...text.matchAll(/Log ID\s*:\s*([0-9A-F:\s]+?)\s*Timestamp/g)].map((m) =>
    Buffer.from(m[1].replace(/[^0-9A-F]/g, ''), 'hex').toString('base64'),
  )
}

const check = (c: OnlineCase, ...extra: string[]) =>
  runCheck(
    [
      ...['--revocation', 'off', '--now', c.judgedAt, '--issuer', join(c.dir, 'intermediates.pem')],
      ...[...extra, join(c.dir, 'peer.pem')],
    ],
    c.dir,
  )

const leafOf = (c: OnlineCase): Cert =>
  decodeCertificates(readFileSync(join(c.dir, 'peer.pem')), 'peer.pem')[0]

// facebook.com's SCTs are from 2023 logs, which the 2024-03 list no longer carries.
const logged = onlineCases().filter((c) => c.id !== 'online::facebook.com')
const google = () => logged.find((c) => c.id === 'online::google.com')!

;(LIMBO ? describe : describe.skip)(
  LIMBO ? 'x509-limbo online chains' : `x509-limbo online chains (${CONFORMANCE_ABSENT})`,
  () => {
    test('the corpus has the chains this test reads', () => {
      expect(logged.length).toBe(13)
    })

    test.each(logged.map((c) => [c.id, c] as const))(
      '%s: every SCT openssl lists is found and verifies, Chrome policy met',
      async (_, c) => {
        expect(
          readSctList(embeddedSctList(leafOf(c).der)!).map((s) => Buffer.from(s.logId).toString('base64')),
        ).toEqual(opensslLogIds(join(c.dir, 'peer.pem')))
        // --require-sct: judged whether or not this Node's root store still holds the chain's root.
        const run = await check(c, '--require-sct', '--ct-log-list', LOG_LIST)
        const leaf = run.report.certificates[0]
        expect(leaf.role).toBe('leaf')
        expect(leaf.findings.filter((f) => f.rule.startsWith('sct-'))).toEqual([])
      },
    )

    test('a leaf under a system root is held to the policy in public-tls without --require-sct', async () => {
      const run = await check(google())
      const leaf = run.report.certificates[0]
      expect(leaf.chain?.at(-1)).toMatchObject({ anchor: true, file: 'system roots' })
      expect(leaf.findings.filter((f) => f.rule.startsWith('sct-'))).toEqual([])
      // The same leaf with one of its two SCTs falls short of the two logs Chrome wants for 84 days.
      const cert = leafOf(google())
      const ct = assessCt(cert, undefined, {
        required: false,
        now: new Date(google().judgedAt),
        clockSkewMs: 0,
      })
      expect(policyShortfalls(cert, { ...ct, scts: ct.scts.slice(0, 1) })).toEqual([
        'SCTs from 1 distinct log; a certificate valid for 84 days (at most 180) needs 2',
      ])
    })

    test('one flipped bit in an SCT signature: that SCT is invalid, the other still verifies', () => {
      const cert = leafOf(google())
      const issuer = decodeCertificates(
        readFileSync(join(google().dir, 'intermediates.pem')),
        'intermediates.pem',
      ).find((i) => i.subjectKey === cert.issuerKey)!
      const logs = parseLogList(JSON.parse(readFileSync(LOG_LIST, 'utf8')), 'log list')
      const options = { logs, required: false, now: new Date(google().judgedAt), clockSkewMs: 0 }
      expect(assessCt(cert, issuer, options).scts.map((s) => s.problem)).toEqual([undefined, undefined])

      // The last byte of the first SCT's signature sits just before the second SCT's length prefix.
      const list = embeddedSctList(cert.der)!
      const offset = list.byteOffset - cert.der.byteOffset + 4 + ((list[2] << 8) | list[3]) - 1
      const der = Uint8Array.from(cert.der)
      der[offset] ^= 0x01
      const [first, second] = assessCt({ ...cert, der }, issuer, options).scts
      expect(first.problem).toMatch(/^SCT from log DigiCert Yeti2024 Log does not verify/)
      expect(second).toMatchObject({ log: { description: "Google 'Argon2024' log", operator: 'Google' } })
      expect(second.problem).toBeUndefined()
    })
  },
)
