import { assessCt } from '../../src/ct/index.js'
import { parseLogList } from '../../src/ct/log-list.js'
import { rule } from '../../src/rules/sct-missing.js'
import { createTestLog, issueWithScts, listEntry, logList } from '../helpers/ct-log.js'
import { compliantCa, issue, leafExtensions } from '../helpers/pki.js'
import { evidenceContextFor, judge } from './context.js'

const usable = { name: 'usable', since: '2020-01-01T00:00:00Z' }
const systemPath = { status: 'valid' as const, path: [], anchorSource: 'system' as const, problems: [] }

test('two logs of two operators pass for 90 days; one log, or a third needed past 180 days, fails', async () => {
  const ca = await compliantCa('sct-missing')
  const [a, b, c] = await Promise.all([createTestLog(), createTestLog(), createTestLog()])
  const logs = parseLogList(
    logList({ A: [listEntry(a, 'A1', usable), listEntry(c, 'A2', usable)], B: [listEntry(b, 'B1', usable)] }),
    'list',
  )
  const judged = async (days: number, signers: (typeof a)[], verify = true) => {
    const { cert } = await issueWithScts(
      { cn: 'ct.test', issuer: ca.intermediate, extensions: leafExtensions('ct.test'), days },
      signers.map((log) => ({ log })),
    )
    const ct = assessCt(cert.model, ca.intermediate.model, {
      logs: verify ? logs : undefined,
      required: true,
      now: new Date(),
      clockSkewMs: 0,
    })
    return judge(rule, evidenceContextFor(cert.model, { ct }))
  }
  expect(await judged(90, [a, b])).toEqual([])
  expect(await judged(90, [a])).toEqual([
    {
      severity: 'error',
      message:
        'Chrome CT policy not met: verified SCTs from 1 distinct log; a certificate valid for 90 days (at most 180) needs 2.',
    },
    {
      severity: 'error',
      message: 'Chrome CT policy not met: verified SCTs from only one log operator (A); two are needed.',
    },
  ])
  expect(await judged(200, [a, b])).toEqual([
    {
      severity: 'error',
      message: expect.stringContaining(
        'from 2 distinct logs; a certificate valid for 200 days (more than 180) needs 3',
      ),
    },
  ])
  expect(await judged(200, [a, b, c])).toEqual([])
  // Without a log list only distinct logs are counted: two logs of one operator pass.
  expect(await judged(90, [a, c], false)).toEqual([])
})

test('applies to every leaf with --require-sct, and in public-tls to leaves under a system root', async () => {
  const ca = await compliantCa('sct-missing scope')
  const cert = (
    await issue({ cn: 'none.test', issuer: ca.intermediate, extensions: leafExtensions('none.test') })
  ).model
  const ct = (required: boolean) =>
    assessCt(cert, ca.intermediate.model, { required, now: new Date(), clockSkewMs: 0 })
  const none = [
    {
      severity: 'error',
      message:
        'No readable embedded SCTs: Chrome refuses a publicly trusted certificate that was not logged (Chrome CT policy).',
    },
  ]
  expect(judge(rule, evidenceContextFor(cert, { ct: ct(true), profile: 'private-tls' }))).toEqual(none)
  expect(judge(rule, evidenceContextFor(cert, { ct: ct(false), path: systemPath }))).toEqual(none)
  expect(judge(rule, evidenceContextFor(cert, { ct: ct(false) }))).toEqual([])
  expect(
    judge(rule, evidenceContextFor(cert, { ct: ct(false), path: systemPath, profile: 'private-tls' })),
  ).toEqual([])
})
