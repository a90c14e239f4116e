import { rule } from '../../src/rules/weak-signature.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('a SHA-256 signature passes', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toEqual([])
})

test('a SHA-1 signature is an error on leaves and intermediates in every profile', async () => {
  const cert = await issued(serverLeaf(), { hash: 'SHA-1' })
  for (const profile of ['public-tls', 'private-tls', 'client-tls', 'rfc5280'] as const)
    for (const role of ['leaf', 'intermediate'] as const)
      expect(judge(rule, contextFor(cert, { profile, role }))).toEqual([
        { severity: 'error', message: expect.stringContaining('Signed with ecdsa-with-SHA1 (SHA-1)') },
      ])
})

test("a root's own SHA-1 signature is not relied upon", async () => {
  const cert = await issued(serverLeaf(), { hash: 'SHA-1' })
  expect(judge(rule, contextFor(cert, { role: 'root' }))).toEqual([])
})
