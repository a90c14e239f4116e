import { rule } from '../../src/rules/expired.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000

test('a certificate inside its validity passes; past notAfter it is an error for every role', async () => {
  const cert = await issued(serverLeaf(), { days: 30 })
  expect(judge(rule, contextFor(cert))).toEqual([])
  const later = new Date(cert.notAfter.getTime() + 3 * DAY)
  for (const role of ['leaf', 'intermediate', 'root'] as const)
    expect(judge(rule, contextFor(cert, { role, now: later, profile: 'rfc5280' }))).toEqual([
      { severity: 'error', message: `Expired on ${cert.notAfter.toISOString()}, 3 days ago.` },
    ])
})

test('the last instant of notAfter is still valid', async () => {
  const cert = await issued(serverLeaf())
  expect(judge(rule, contextFor(cert, { now: cert.notAfter }))).toEqual([])
})

test('long-expired certificates say how long in whole days, so two of them read alike', async () => {
  const cert = await issued(serverLeaf())
  const ago = (days: number) =>
    judge(rule, contextFor(cert, { now: new Date(cert.notAfter.getTime() + days * DAY) }))[0].message
  expect(ago(1369.5)).toBe(`Expired on ${cert.notAfter.toISOString()}, 1370 days ago.`)
  expect(ago(568)).toBe(`Expired on ${cert.notAfter.toISOString()}, 568 days ago.`)
  expect(ago(1.5)).toBe(`Expired on ${cert.notAfter.toISOString()}, 36 hours ago.`)
  expect(ago(1 / 48)).toBe(`Expired on ${cert.notAfter.toISOString()}, 30 minutes ago.`)
})
