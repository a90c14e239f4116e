import { rule } from '../../src/rules/not-yet-valid.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000

test('a certificate already valid passes; one whose notBefore is ahead of --now fails', async () => {
  const notBefore = new Date(Date.UTC(2030, 0, 10))
  const cert = await issued(serverLeaf(), { notBefore, days: 90 })
  expect(judge(rule, contextFor(cert, { now: notBefore }))).toEqual([])
  expect(judge(rule, contextFor(cert, { now: new Date(notBefore.getTime() - 2 * DAY) }))).toEqual([
    { severity: 'error', message: 'Not valid before 2030-01-10T00:00:00.000Z, 2 days from now.' },
  ])
})
