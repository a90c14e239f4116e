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
  ['2021-01-01T00:00:00Z', 398, '2020-09-01', 'SC-031'],
  ['2026-03-15T00:00:00Z', 200, '2026-03-15', 'SC-081'],
  ['2027-06-01T00:00:00Z', 100, '2027-03-15', 'SC-081'],
  ['2029-03-15T00:00:00Z', 47, '2029-03-15', 'SC-081'],
])(
  'issued %s: the Validity Period is inclusive, so %i days less a second pass and the whole days fail',
  async (iso, days, since, ballot) => {
    // Since SC-031 the Validity Period is inclusive: notAfter - notBefore + 1 second.
    const within = await leafFrom(iso, days * DAY - SECOND)
    expect(judge(rule, contextFor(within))).toEqual([])
    const over = await leafFrom(iso, days * DAY)
    expect(judge(rule, contextFor(over))).toEqual([
      {
        severity: 'error',
        message: `Validity period of ${days + 1} days (counted as BR 6.3.2 does) exceeds the ${days}-day maximum for certificates issued on or after ${since} (BR 6.3.2, ${ballot}).`,
      },
    ])
  },
)

test('issued in 2018, before the BR counted both ends: exactly 825 days pass, a second more fails', async () => {
  const exact = await leafFrom('2018-06-01T00:00:00Z', 825 * DAY)
  expect(judge(rule, contextFor(exact))).toEqual([])
  const over = await leafFrom('2018-06-01T00:00:00Z', 825 * DAY + SECOND)
  expect(judge(rule, contextFor(over))).toEqual([
    {
      severity: 'error',
      message:
        'Validity period of 826 days (counted as BR 6.3.2 does) exceeds the 825-day maximum for certificates issued on or after 2018-03-01 (BR 6.3.2, ballot 193).',
    },
  ])
})

test.each([
  [
    '2016-09-15T00:00:00Z',
    '2019-12-15T00:00:00Z',
    '2019-12-15T00:00:01Z',
    'error',
    '2016-07-01 (BR 6.3.2, BR 1.4)',
  ],
  [
    '2015-06-10T00:00:00Z',
    '2018-09-10T00:00:00Z',
    '2018-09-10T00:00:01Z',
    'warning',
    '2015-04-01 (BR 6.3.2, BR 1.0 9.4.1; until 2016-07-01 a CA could document an exception for legacy systems up to 60 months)',
  ],
])('issued %s: 39 months to %s pass, to %s fail', async (notBefore, within, over, severity, since) => {
  const leaf = (notAfter: string) =>
    issued(serverLeaf(), { notBefore: new Date(notBefore), notAfter: new Date(notAfter) })
  expect(judge(rule, contextFor(await leaf(within)))).toEqual([])
  expect(judge(rule, contextFor(await leaf(over)))).toEqual([
    {
      severity,
      message: `Validity period from ${new Date(notBefore).toISOString()} to ${new Date(over).toISOString()} exceeds the 39-month maximum for certificates issued on or after ${since}.`,
    },
  ])
})

test('certificates issued before 2015-04-01 and other profiles or roles are not judged', async () => {
  const old = await leafFrom('2015-01-01T00:00:00Z', 1800 * DAY)
  expect(judge(rule, contextFor(old))).toEqual([])
  const long = await leafFrom('2021-01-01T00:00:00Z', 800 * DAY)
  expect(judge(rule, contextFor(long, { profile: 'private-tls' }))).toEqual([])
  expect(judge(rule, contextFor(long, { role: 'intermediate' }))).toEqual([])
})
