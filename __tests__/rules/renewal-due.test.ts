import type { RenewalEvidence } from '../../src/model/evidence.js'
import { rule } from '../../src/rules/renewal-due.js'
import { evidenceContextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const url = 'https://acme.test/renewal-info/abc.def'
const window = (from: number, to: number) => ({
  start: new Date(Date.now() + from),
  end: new Date(Date.now() + to),
})

test('before the window nothing; inside it a warning; past its end an error', async () => {
  const cert = await issued(serverLeaf())
  const judged = (renewal: RenewalEvidence) => judge(rule, evidenceContextFor(cert, { renewal }))
  expect(judged({ url, window: window(DAY, 2 * DAY) })).toEqual([])
  expect(judged({ url, window: window(-DAY, DAY) })).toEqual([
    { severity: 'warning', message: expect.stringMatching(/^Inside the CA's suggested renewal window/) },
  ])
  expect(judged({ url, window: window(-2 * DAY, -DAY), explanationUrl: 'https://acme.test/why' })).toEqual([
    {
      severity: 'error',
      message: expect.stringMatching(
        /has passed: replace this certificate now.* The CA explains why at https:\/\/acme\.test\/why\.$/,
      ),
    },
  ])
})

test('no window is info with the reason; without --ari the rule does not apply', async () => {
  const cert = await issued(serverLeaf())
  expect(judge(rule, evidenceContextFor(cert, { renewal: { url, problem: 'HTTP 503' } }))).toEqual([
    { severity: 'info', message: `No renewal information from ${url}: HTTP 503.` },
  ])
  expect(judge(rule, evidenceContextFor(cert))).toEqual([])
})
