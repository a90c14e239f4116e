import { rule } from '../../src/rules/ocsp-validity-interval.js'
import { evidenceContextFor, issued, judge, serverLeaf } from './context.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const thisUpdate = new Date('2026-05-01T00:00:00Z')
const response = (validityMs?: number) => ({
  url: 'http://ocsp.test',
  thisUpdate,
  nextUpdate: validityMs === undefined ? undefined : new Date(thisUpdate.getTime() + validityMs),
})

test('from 8 hours to 10 days, counting both ends (BR 4.9.9 “inclusive”)', async () => {
  const cert = await issued(serverLeaf())
  const judged = (ms?: number) =>
    judge(rule, evidenceContextFor(cert, { revocation: { crls: [], ocsp: [response(ms)] } }))
  expect(judged(8 * HOUR - 1000)).toEqual([]) // 8 hours inclusive
  expect(judged(4 * DAY)).toEqual([])
  expect(judged(10 * DAY - 1000)).toEqual([])
  expect(judged(10 * DAY)).toEqual([
    {
      severity: 'warning',
      message:
        'OCSP response from http://ocsp.test has a validity interval of 10 days (thisUpdate 2026-05-01T00:00:00.000Z, nextUpdate 2026-05-11T00:00:00.000Z, inclusive); the BR require at most 10 days (BR 4.9.9).',
    },
  ])
  expect(judged(5 * 60_000)).toEqual([
    { severity: 'warning', message: expect.stringMatching(/of 5 minutes .* require at least 8 hours/) },
  ])
  expect(judged(undefined)).toEqual([
    { severity: 'warning', message: expect.stringContaining('no nextUpdate') },
  ])
})

test('only subscriber certificates are held to the window', async () => {
  const cert = await issued(serverLeaf())
  const ctx = evidenceContextFor(cert, {
    role: 'intermediate',
    revocation: { crls: [], ocsp: [response(60_000)] },
  })
  expect(judge(rule, ctx)).toEqual([])
})
