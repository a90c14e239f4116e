import { rule } from '../../src/rules/stapling-no-resolver.js'
import { ext } from '../helpers/pki.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

const named = () => issued([...serverLeaf(), ext.aia(['http://ocsp.example.test/'])])

test('a host-name responder with a resolver, an IP-literal responder or a staple file passes', async () => {
  const cert = await named()
  const on = { stapling: at(true, 5) }
  expect(judgeBlock(rule, blockContextFor(cert, { ...on, resolver: at('127.0.0.53', 6) }))).toEqual([])
  expect(
    judgeBlock(rule, blockContextFor(cert, { ...on, staplingResponder: at('http://192.0.2.1/', 6) })),
  ).toEqual([])
  expect(
    judgeBlock(rule, blockContextFor(cert, { ...on, staplingResponder: at('http://[2001:db8::1]:80/', 6) })),
  ).toEqual([])
  const file = { ...at('ocsp.der', 6), path: '/srv/ocsp.der' }
  expect(judgeBlock(rule, blockContextFor(cert, { ...on, staplingFile: file }))).toEqual([])
  const ipAia = await issued([...serverLeaf(), ext.aia(['http://192.0.2.1/'])])
  expect(judgeBlock(rule, blockContextFor(ipAia, on))).toEqual([])
})

test('a host-name responder (AIA or ssl_stapling_responder) without a resolver is a warning on ssl_stapling', async () => {
  const cert = await named()
  expect(judgeBlock(rule, blockContextFor(cert, { stapling: at(true, 5) }))).toEqual([
    {
      severity: 'warning',
      line: 5,
      message: expect.stringContaining('nginx resolves ocsp.example.test only once, at start-up'),
    },
  ])
  const ipAia = await issued([...serverLeaf(), ext.aia(['http://192.0.2.1/'])])
  expect(
    judgeBlock(
      rule,
      blockContextFor(ipAia, { stapling: at(true, 5), staplingResponder: at('http://ocsp.test/', 7) }),
    ),
  ).toEqual([
    {
      severity: 'warning',
      line: 5,
      message: expect.stringContaining('ssl_stapling_responder (site.conf:7)'),
    },
  ])
})

test('an error when the leaf is Must-Staple; Apache and stapling off are not judged', async () => {
  const mustStaple = await issued([...serverLeaf(), ext.mustStaple(), ext.aia(['http://ocsp.example.test/'])])
  expect(judgeBlock(rule, blockContextFor(mustStaple, { stapling: at(true, 5) }))).toMatchObject([
    { severity: 'error' },
  ])
  expect(rule.appliesTo(blockContextFor(mustStaple, { stapling: at(false, 5) }))).toBe(false)
  expect(rule.appliesTo(blockContextFor(mustStaple, { software: 'apache', stapling: at(true, 5) }))).toBe(
    false,
  )
})
