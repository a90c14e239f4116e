// The pyca/cryptography and golang.org/x/crypto/ocsp OCSP response vectors
// (../shared/conformance/, see its README; read through the conformance helper): each judged at a --now inside its
// validity window and again today. Where the manifest names the issuing CA,
// the response must authenticate and give the status, times, reason and
// responder id the source asserts. Deliberate difference: where the CA that
// delegated the responder is not in the source, the source only parses, but
// certgate cannot authenticate the signer and says `invalid`; the parsed
// facts are still checked against the source's assertions.
import { describe, expect, test } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as pkijs from 'pkijs'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'
import { judgeOcspResponse, normaliseSerial, type OcspJudgement } from '../../src/revocation/ocsp/verify.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { CONFORMANCE_ABSENT, conformanceVectors } from '../helpers/conformance.js'

interface Case {
  folder: string
  /** Where the folder's vectors are. */
  dir: string
  file: string
  kind: string
  issuer: string | null
  expect: Record<string, unknown>
  derived?: {
    produced_at?: string
    single_responses?: { this_update: string; serial_number_hex: string; cert_status: string }[] | string
  }
}

const SETS = ['pyca-cryptography', 'golang-x-crypto-ocsp']
const cases: Case[] = SETS.flatMap((folder) => {
  const dir = conformanceVectors(folder)
  if (!dir) return []
  return (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { cases: Case[] }).cases
    .filter((c) => c.kind === 'ocsp-response')
    .map((c) => ({ ...c, folder, dir }))
})
for (const absent of SETS.filter((set) => !conformanceVectors(set))) {
  test.skip(`${absent}: ${CONFORMANCE_ABSENT}`, () => {})
}

function loadCert(path: string): Cert {
  const bytes = readFileSync(path)
  const text = bytes.toString('latin1')
  const der = text.includes('-----BEGIN CERTIFICATE-----')
    ? Buffer.from(
        text.split('-----BEGIN CERTIFICATE-----')[1].split('-----END')[0].replace(/\s+/g, ''),
        'base64',
      )
    : bytes
  return buildCert(new Uint8Array(der), { file: path, line: 1, index: 0 })
}

function judge(c: Case, now: Date, serial?: string): Promise<OcspJudgement> {
  return judgeOcspResponse({
    der: new Uint8Array(readFileSync(join(c.dir, c.file))),
    issuers: c.issuer ? [loadCert(join(c.dir, c.issuer))] : [],
    serial,
    options: revocationOptions({ now }),
  })
}

/** A moment inside the response's validity window: a minute after its thisUpdate and producedAt. */
function insideWindow(c: Case): Date {
  const singles = c.derived?.single_responses
  const thisUpdate = Array.isArray(singles) ? singles[0].this_update : '2020-01-01T00:00:00Z'
  const producedAt = c.derived?.produced_at ?? thisUpdate
  return new Date(Math.max(Date.parse(thisUpdate), Date.parse(producedAt)) + 60_000)
}

const iso = (value: unknown): string | undefined =>
  typeof value === 'string' ? new Date(value).toISOString() : undefined
const today = new Date()

for (const c of cases)
  describe(`${c.folder} ${c.file}`, () => {
    const rejectedByParse = c.expect.parse === 'error'
    const errorStatus = c.expect.response_status !== undefined && c.expect.response_status !== 'successful'
    const unsupported = Object.values(c.expect).some(
      (v) => typeof v === 'string' && v.includes('unsupported'),
    )

    if (rejectedByParse) {
      test.each([insideWindow(c), today])('is rejected at %s', async (now) => {
        const { revocation } = await judge(c, now)
        expect(revocation.status).toBe('invalid')
        expect(revocation.detail).toMatch(/unreadable OCSP response|critical extension not understood/)
      })
      return
    }
    if (errorStatus) {
      test('reports the responder error status by name', async () => {
        const { revocation, facts } = await judge(c, today)
        expect(facts?.responseStatus).toBe(c.expect.response_status)
        expect(revocation).toMatchObject({ status: 'invalid' })
        expect(revocation.detail).toContain(`answered ${c.expect.response_status as string}`)
      })
      return
    }
    if (c.file.endsWith('ocsp-army.deps.mil-resp.der')) {
      const requested = (name: string): string => {
        const request = pkijs.OCSPRequest.fromBER(readFileSync(join(c.dir, 'ocsp', name)))
        return Buffer.from(
          request.tbsRequest.requestList[0].reqCert.serialNumber.valueBlock.valueHexView,
        ).toString('hex')
      }
      test('multi-response: the requested serials give the asserted facts, the inapplicable one is absent', async () => {
        const { facts } = await judge(c, insideWindow(c))
        expect(facts?.responses).toHaveLength(c.expect.single_response_count as number)
        const find = (serial: string) => facts?.responses.find((r) => r.serial === normaliseSerial(serial))
        expect(find(requested('ocsp-army.valid-req.der'))).toMatchObject({
          certStatus: 'good',
          thisUpdate: '2020-02-22T00:00:00.000Z',
          nextUpdate: '2020-02-29T01:00:00.000Z',
        })
        expect(find(requested('ocsp-army.revoked-req.der'))).toMatchObject({
          certStatus: 'revoked',
          reason: 'cessationOfOperation',
          revokedAt: '2018-05-30T14:01:39.000Z',
        })
        const inapplicable = await judge(c, insideWindow(c), requested('ocsp-army.inapplicable-req.der'))
        expect(inapplicable.revocation.detail).toMatch(/CertID mismatch/)
        // Without a serial a multi-answer response names no single certificate.
        expect((await judge(c, insideWindow(c))).revocation.detail).toMatch(/holds 20 answers/)
      })
      return
    }

    test('parsed facts agree with the source', async () => {
      const { facts } = await judge(c, insideWindow(c))
      const single = facts?.responses[0]
      if (c.expect.cert_status) expect(single?.certStatus).toBe(c.expect.cert_status)
      if (c.expect.thisUpdate) expect(single?.thisUpdate).toBe(iso(c.expect.thisUpdate))
      if ('nextUpdate' in c.expect) expect(single?.nextUpdate).toBe(iso(c.expect.nextUpdate) ?? undefined)
      if (c.expect.producedAt) expect(facts?.producedAt).toBe(iso(c.expect.producedAt))
      if (c.expect.revocation_time) expect(single?.revokedAt).toBe(iso(c.expect.revocation_time))
      // Go reports its zero value as "unspecified (…)" when there is no revocation: only names are compared.
      const reason = c.expect.revocation_reason
      if (reason === null || (typeof reason === 'string' && !reason.includes(' '))) {
        expect(single?.reason).toBe(reason ?? undefined)
      }
      // JSON numbers are doubles: compare the serial at the manifest's own precision.
      if (c.expect.serial_number) expect(Number(BigInt(`0x${single?.serial}`))).toBe(c.expect.serial_number)
      if (c.expect.serial_number_hex) expect(single?.serial).toBe(c.expect.serial_number_hex)
      const responderId = c.expect.responder_id as {
        type: string
        key_hash_sha1?: string
        equals_subject_of?: string
      }
      if (responderId) {
        expect(facts?.responderId?.type).toBe(responderId.type)
        if (responderId.key_hash_sha1)
          expect(facts?.responderId).toMatchObject({ keyHash: responderId.key_hash_sha1 })
        if (responderId.equals_subject_of) {
          const { subjectName } = loadCert(join(c.dir, responderId.equals_subject_of))
          const subject = Buffer.from(subjectName).toString('hex')
          expect(facts?.responderId).toMatchObject({ name: subject })
        }
      }
    })

    if (unsupported) {
      test('is rejected as unsupported', async () => {
        const { revocation } = await judge(c, insideWindow(c))
        expect(revocation.status).toBe('invalid')
        expect(revocation.detail).toMatch(/unsupported/)
      })
    } else if (c.issuer) {
      test('authenticates with the named issuer inside its window, and is stale today', async () => {
        const fresh = await judge(c, insideWindow(c))
        const singles = c.derived?.single_responses
        const derivedStatus = Array.isArray(singles) ? singles[0].cert_status : undefined
        expect(fresh.revocation.status).toBe(c.expect.cert_status ?? derivedStatus)
        expect(fresh.signer).toBeDefined()
        const now = await judge(c, today)
        expect(now.revocation.status).toBe('stale')
      })
    } else {
      test('cannot be authenticated without the delegating CA: invalid, with the cause', async () => {
        for (const now of [insideWindow(c), today]) {
          const { revocation } = await judge(c, now)
          expect(revocation.status).toBe('invalid')
          expect(revocation.detail).toMatch(
            /no issuer certificate|critical extension|not authorised|signature/,
          )
        }
      })
    }
  })
