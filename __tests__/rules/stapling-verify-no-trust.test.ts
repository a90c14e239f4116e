import { rule } from '../../src/rules/stapling-verify-no-trust.js'
import { ext } from '../helpers/pki.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

const verifying = { stapling: at(true, 5), staplingVerify: at(true, 6) }

test('stapling with the issuer in the chain or trusted file passes', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, verifying, { issuerAvailable: true }))).toEqual([])
  expect(
    judgeBlock(rule, blockContextFor(cert, { stapling: at(true, 5) }, { issuerAvailable: true })),
  ).toEqual([])
})

test('without the issuer: a warning on ssl_stapling_verify, or on the stapling switch when nothing verifies', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, verifying, { issuerAvailable: false }))).toEqual([
    { severity: 'warning', line: 6, message: expect.stringContaining('nor verify a response') },
  ])
  // nginx needs the issuer for the request itself (RFC 6960 CertID), verify or not.
  expect(
    judgeBlock(rule, blockContextFor(cert, { stapling: at(true, 5) }, { issuerAvailable: false })),
  ).toEqual([
    { severity: 'warning', line: 5, message: expect.stringContaining('issuer certificate not found') },
  ])
  // mod_ssl verifies every response it fetches: no verify switch to look at.
  expect(
    judgeBlock(
      rule,
      blockContextFor(cert, { software: 'apache', stapling: at(true, 5) }, { issuerAvailable: false }),
    ),
  ).toEqual([{ severity: 'warning', line: 5, message: expect.stringContaining('SSLCACertificateFile') }])
})

test('an error for a Must-Staple leaf; stapling off or a stored ssl_stapling_file is not judged', async () => {
  const mustStaple = await issued([...serverLeaf(), ext.mustStaple()])
  expect(judgeBlock(rule, blockContextFor(mustStaple, verifying, { issuerAvailable: false }))).toMatchObject([
    { severity: 'error' },
  ])
  const cert = await issued(serverLeaf())
  expect(
    rule.appliesTo(blockContextFor(cert, { staplingVerify: at(true, 6) }, { issuerAvailable: false })),
  ).toBe(false)
  const file = { ...at('ocsp.der', 7), path: '/srv/ocsp.der' }
  expect(
    rule.appliesTo(blockContextFor(cert, { ...verifying, staplingFile: file }, { issuerAvailable: false })),
  ).toBe(false)
})
