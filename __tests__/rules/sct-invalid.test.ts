import { assessCt } from '../../src/ct/index.js'
import { parseLogList } from '../../src/ct/log-list.js'
import { rule } from '../../src/rules/sct-invalid.js'
import { createTestLog, issueWithScts, listEntry, logList } from '../helpers/ct-log.js'
import { compliantCa, leafExtensions } from '../helpers/pki.js'
import { evidenceContextFor, judge } from './context.js'

test('a verified SCT passes; one signed over other bytes, or by a rejected log, fails; an unknown log warns', async () => {
  const ca = await compliantCa('sct-invalid')
  const [good, rejected, unknown] = await Promise.all([createTestLog(), createTestLog(), createTestLog()])
  const logs = parseLogList(
    logList({
      A: [listEntry(good, 'Good log', { name: 'usable', since: '2020-01-01T00:00:00Z' })],
      B: [listEntry(rejected, 'Rejected log', { name: 'rejected', since: '2021-01-01T00:00:00Z' })],
    }),
    'list',
  )
  const judged = async (specs: Parameters<typeof issueWithScts>[1]) => {
    const { cert } = await issueWithScts(
      { cn: 'sct.test', issuer: ca.intermediate, extensions: leafExtensions('sct.test') },
      specs,
    )
    const ct = assessCt(cert.model, ca.intermediate.model, {
      logs,
      required: false,
      now: new Date(),
      clockSkewMs: 0,
    })
    return judge(rule, evidenceContextFor(cert.model, { ct }))
  }
  expect(await judged([{ log: good }])).toEqual([])
  expect(
    await judged([{ log: good, tamper: (s) => Uint8Array.from(s, (b, i) => (i === 11 ? b ^ 1 : b)) }]),
  ).toEqual([
    {
      severity: 'error',
      message: expect.stringMatching(/^SCT from log Good log does not verify with the log's key/),
    },
  ])
  expect(await judged([{ log: rejected }])).toEqual([
    {
      severity: 'error',
      message:
        'SCT from log Rejected log, which is rejected (since 2021-01-01T00:00:00.000Z): its SCTs do not count (Chrome CT policy).',
    },
  ])
  expect(await judged([{ log: unknown }])).toEqual([
    { severity: 'warning', message: expect.stringContaining('which the log list does not name') },
  ])
})

test('a malformed SCT list is reported with or without a log list', async () => {
  const ca = await compliantCa('sct-invalid malformed')
  const { cert } = await issueWithScts(
    { cn: 'bad.test', issuer: ca.intermediate, extensions: leafExtensions('bad.test') },
    [],
  )
  // An empty list is malformed: RFC 6962 §3.3 requires at least one SCT.
  const ct = assessCt(cert.model, undefined, { required: false, now: new Date(), clockSkewMs: 0 })
  expect(judge(rule, evidenceContextFor(cert.model, { ct }))).toEqual([
    {
      severity: 'error',
      message:
        'The SCT list extension cannot be read: SCT list is empty (RFC 6962 §3.3 requires at least one).',
    },
  ])
})
