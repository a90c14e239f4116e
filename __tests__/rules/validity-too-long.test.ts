import { rule } from '../../src/rules/validity-too-long.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const SECOND = 1000

/** A leaf issued at `iso` whose notAfter is `ms` after its notBefore. */
async function leafFrom(iso: string, ms: number) {
  const notBefore = new Date(iso)
  return issued(serverLeaf(), { notBefore, notAfter: new Date(notBefore.getTime() + ms) })
}

test.each([
  ['2019-01-01T00:00:00Z', 825, '2018-03-01', 'ballot 193'],
  ['2021-01-01T00:00:00Z', 398, '2020-09-01', 'SC-031'],
  ['2026-03-15T00:00:00Z', 200, '2026-03-15', 'SC-081'],
  ['2027-06-01T00:00:00Z', 100, '2027-03-15', 'SC-081'],
  ['2029-03-15T00:00:00Z', 47, '2029-03-15', 'SC-081'],
])('issued %s: %i days pass, one second more fails', async (iso, days, since, ballot) => {
  // The Validity Period is inclusive: notAfter - notBefore + 1 second.
  const within = await leafFrom(iso, days * DAY - SECOND)
  expect(judge(rule, contextFor(within))).toEqual([])
  const over = await leafFrom(iso, days * DAY)
  expect(judge(rule, contextFor(over))).toEqual([
    {
      severity: 'error',
      message: `Validity period of ${days + 1} days (counted as BR 6.3.2 does) exceeds the ${days}-day maximum for certificates issued on or after ${since} (BR 6.3.2, ${ballot}).`,
    },
  ])
})

test('certificates issued before 2018-03-01 and other profiles or roles are not judged', async () => {
  const old = await leafFrom('2017-01-01T00:00:00Z', 1000 * DAY)
  expect(judge(rule, contextFor(old))).toEqual([])
  const long = await leafFrom('2021-01-01T00:00:00Z', 800 * DAY)
  expect(judge(rule, contextFor(long, { profile: 'private-tls' }))).toEqual([])
  expect(judge(rule, contextFor(long, { role: 'intermediate' }))).toEqual([])
})
