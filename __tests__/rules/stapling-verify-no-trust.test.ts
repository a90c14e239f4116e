import { rule } from '../../src/rules/stapling-verify-no-trust.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

const verifying = { stapling: at(true, 5), staplingVerify: at(true, 6) }

test('verify on with the issuer in the chain or trusted file passes', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, verifying, { issuerAvailable: true }))).toEqual([])
})

test('verify on without the issuer is a warning on ssl_stapling_verify (nginx) or SSLUseStapling (Apache)', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, verifying, { issuerAvailable: false }))).toEqual([
    { severity: 'warning', line: 6, message: expect.stringContaining('ssl_trusted_certificate') },
  ])
  // mod_ssl verifies every response it fetches: no verify switch to look at.
  expect(
    judgeBlock(
      rule,
      blockContextFor(cert, { software: 'apache', stapling: at(true, 5) }, { issuerAvailable: false }),
    ),
  ).toEqual([{ severity: 'warning', line: 5, message: expect.stringContaining('SSLCACertificateFile') }])
})

test('nginx without ssl_stapling_verify, or stapling off, is not judged', async () => {
  const cert = await issued(serverLeaf())
  expect(rule.appliesTo(blockContextFor(cert, { stapling: at(true, 5) }, { issuerAvailable: false }))).toBe(
    false,
  )
  expect(
    rule.appliesTo(blockContextFor(cert, { staplingVerify: at(true, 6) }, { issuerAvailable: false })),
  ).toBe(false)
})
