import { rule } from '../../src/rules/expires-soon.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const HOUR = 3_600_000

test('thresholds: nothing beyond the warning window, a warning inside it, an error inside the error window', async () => {
  const cert = await issued(serverLeaf(), { days: 90 })
  const daysBefore = (ms: number) => new Date(cert.notAfter.getTime() - ms)
  expect(judge(rule, contextFor(cert, { now: daysBefore(31 * DAY) }))).toEqual([])
  expect(judge(rule, contextFor(cert, { now: daysBefore(20 * DAY) }))).toEqual([
    { severity: 'warning', message: `Expires on ${cert.notAfter.toISOString()}, in 20 days.` },
  ])
  expect(judge(rule, contextFor(cert, { now: daysBefore(5 * DAY) }))).toEqual([
    { severity: 'error', message: `Expires on ${cert.notAfter.toISOString()}, in 5 days.` },
  ])
  expect(judge(rule, contextFor(cert, { now: daysBefore(6 * HOUR) }))).toEqual([
    { severity: 'error', message: `Expires on ${cert.notAfter.toISOString()}, in 6 hours.` },
  ])
})

test('configured windows are honoured', async () => {
  const cert = await issued(serverLeaf(), { days: 90 })
  const now = new Date(cert.notAfter.getTime() - 50 * DAY)
  expect(judge(rule, contextFor(cert, { now, expiryWarningMs: 60 * DAY, expiryErrorMs: 10 * DAY }))).toEqual([
    { severity: 'warning', message: expect.stringContaining('in 50 days') },
  ])
})

test('an expired certificate is left to the expired rule', async () => {
  const cert = await issued(serverLeaf(), { days: 90 })
  expect(judge(rule, contextFor(cert, { now: new Date(cert.notAfter.getTime() + DAY) }))).toEqual([])
})
