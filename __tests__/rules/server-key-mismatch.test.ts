import { rule } from '../../src/rules/server-key-mismatch.js'
import { issued, serverLeaf } from './context.js'
import { blockContextFor, judgeBlock } from './server-block-context.js'

// Whether the key matches is found by lint.ts (SPKI of both, node:crypto) and shown end to end
// against apache2 in __tests__/server-config/apache-stapling.test.ts; here, what the rule says.
test('a matching key passes', async () => {
  expect(
    judgeBlock(rule, blockContextFor(await issued(serverLeaf()), {}, { key: { status: 'match' } })),
  ).toEqual([])
})

test('a key of another certificate, or one that cannot be used, is an error on the key directive', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, {}, { key: { status: 'mismatch' } }))).toEqual([
    {
      severity: 'error',
      line: 4,
      message: expect.stringContaining('ssl_certificate_key site.key is not the private key of CN=leaf.test'),
    },
  ])
  const unusable = { status: 'unusable' as const, reason: 'no PEM private key in the file' }
  expect(judgeBlock(rule, blockContextFor(cert, { software: 'apache' }, { key: unusable }))).toEqual([
    {
      severity: 'error',
      line: 4,
      message: expect.stringContaining('SSLCertificateKeyFile site.key: no PEM private key in the file'),
    },
  ])
})
