import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/no-revocation-source.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const DAY = 86_400_000
const SECOND = 1000

test('a leaf with an OCSP URL or a CRL passes', async () => {
  expect(
    judge(rule, contextFor(await issued([...serverLeaf(), ext.aia(['http://ocsp.example.test'])]))),
  ).toEqual([])
  expect(
    judge(rule, contextFor(await issued([...serverLeaf(), ext.crlDp('http://crl.example.test/c.crl')]))),
  ).toEqual([])
})

test('a 90-day leaf with neither is an error in every TLS profile', async () => {
  const cert = await issued(serverLeaf())
  for (const profile of ['public-tls', 'private-tls', 'client-tls'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toEqual([
      { severity: 'error', message: expect.stringContaining('Neither an OCSP URL nor a CRL') },
    ])
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([])
  expect(judge(rule, contextFor(cert, { role: 'intermediate' }))).toEqual([])
})

test('the short-lived limit is 10 days before 2026-03-15 and 7 days from then (BR 1.6.1)', async () => {
  const at = async (iso: string, ms: number) => {
    const notBefore = new Date(iso)
    return judge(
      rule,
      contextFor(await issued(serverLeaf(), { notBefore, notAfter: new Date(notBefore.getTime() + ms) })),
    )
  }
  // The Validity Period is inclusive: notAfter - notBefore + 1 second.
  expect(await at('2025-06-01T00:00:00Z', 10 * DAY - SECOND)).toEqual([])
  expect(await at('2025-06-01T00:00:00Z', 10 * DAY)).toHaveLength(1)
  expect(await at('2026-03-15T00:00:00Z', 7 * DAY - SECOND)).toEqual([])
  expect(await at('2026-03-15T00:00:00Z', 8 * DAY)).toHaveLength(1)
  // Before SC-063 (2024-03-15) there were no short-lived certificates.
  expect(await at('2024-01-01T00:00:00Z', 5 * DAY)).toHaveLength(1)
})
