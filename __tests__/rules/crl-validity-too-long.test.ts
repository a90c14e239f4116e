import { rule } from '../../src/rules/crl-validity-too-long.js'
import { evidenceContextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const thisUpdate = new Date('2026-05-01T00:00:00Z')
const crl = (validityMs: number | undefined) => ({
  url: 'http://crl.test/1.crl',
  thisUpdate,
  nextUpdate: validityMs === undefined ? undefined : new Date(thisUpdate.getTime() + validityMs),
  bytes: 900,
})

test('a subscriber CRL may run 10 days, not a second more', async () => {
  const cert = await issued(serverLeaf())
  const judged = (ms: number) =>
    judge(rule, evidenceContextFor(cert, { revocation: { crls: [crl(ms)], ocsp: [] } }))
  expect(judged(7 * DAY)).toEqual([])
  expect(judged(10 * DAY)).toEqual([])
  expect(judged(10 * DAY + 1000)).toEqual([
    {
      severity: 'warning',
      message:
        'CRL http://crl.test/1.crl is valid for 10 days (thisUpdate 2026-05-01T00:00:00.000Z, nextUpdate 2026-05-11T00:00:01.000Z); the BR allow at most 10 days for CRLs covering subscriber certificates (BR 7.2).',
    },
  ])
})

test('a CA certificate’s CRL may run 12 months', async () => {
  const cert = await issued(serverLeaf())
  const judged = (ms: number) =>
    judge(rule, evidenceContextFor(cert, { role: 'intermediate', revocation: { crls: [crl(ms)], ocsp: [] } }))
  expect(judged(200 * DAY)).toEqual([])
  expect(judged(365 * DAY)).toEqual([]) // 2026-05-01 to 2027-05-01 is twelve months
  expect(judged(366 * DAY)).toEqual([
    {
      severity: 'warning',
      message: expect.stringContaining('at most 12 months for CRLs covering CA certificates'),
    },
  ])
})

test('a CRL without nextUpdate is reported; other profiles are not judged by the BR', async () => {
  const cert = await issued(serverLeaf())
  const ctx = evidenceContextFor(cert, { revocation: { crls: [crl(undefined)], ocsp: [] } })
  expect(judge(rule, ctx)).toEqual([
    { severity: 'warning', message: expect.stringContaining('has no nextUpdate') },
  ])
  expect(judge(rule, { ...ctx, profile: 'private-tls' })).toEqual([])
})
