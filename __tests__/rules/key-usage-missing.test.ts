import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/key-usage-missing.js'
import { contextFor, issued, judge } from './context.js'

const DAY = 86_400_000
const leafWithout = [ext.notCa(), ext.serverAuth(), ext.san('leaf.test')]

test('CA certificates with keyUsage pass; without it they fail in every profile', async () => {
  const good = await issued([ext.ca(0), ext.caKeyUsage()])
  const bad = await issued([ext.ca(0)])
  expect(judge(rule, contextFor(good, { role: 'intermediate' }))).toEqual([])
  for (const profile of ['public-tls', 'private-tls', 'client-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(bad, { role: 'intermediate', profile }))).toEqual([
      { severity: 'error', message: expect.stringContaining('intermediate CA certificate has no keyUsage') },
    ])
})

test('a subscriber certificate without keyUsage is a warning in public-tls only', async () => {
  const cert = await issued(leafWithout)
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'warning', message: expect.stringContaining('BR 7.1.2.7.6') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
  expect(judge(rule, contextFor(await issued([...leafWithout, ext.leafKeyUsage()])))).toEqual([])
})

test('subscriber certificates issued before the BR 2.0.0 profiles (2023-09-15) are not judged', async () => {
  const notBefore = new Date('2023-09-14T00:00:00Z')
  const cert = await issued(leafWithout, { notBefore, notAfter: new Date(notBefore.getTime() + 90 * DAY) })
  expect(judge(rule, contextFor(cert))).toEqual([])
})
