import { rule } from '../../src/rules/must-staple-stapling-off.js'
import { ext } from '../helpers/pki.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

const mustStaple = () => issued([...serverLeaf(), ext.mustStaple(), ext.aia(['http://ocsp.example.test/'])])

test('a Must-Staple leaf with stapling on passes; a leaf without Must-Staple is not judged', async () => {
  expect(judgeBlock(rule, blockContextFor(await mustStaple(), { stapling: at(true, 5) }))).toEqual([])
  expect(rule.appliesTo(blockContextFor(await issued(serverLeaf())))).toBe(false)
})

test('a Must-Staple leaf with stapling off, or not set (off by default), is an error', async () => {
  const cert = await mustStaple()
  expect(judgeBlock(rule, blockContextFor(cert, { stapling: at(false, 5) }))).toEqual([
    { severity: 'error', line: 5, message: expect.stringContaining('ssl_stapling is off for site.test') },
  ])
  // Not set: on the block's first line (`server {`, `<VirtualHost>`).
  expect(judgeBlock(rule, blockContextFor(cert, { software: 'apache' }))).toEqual([
    {
      severity: 'error',
      line: 1,
      message: expect.stringContaining('SSLUseStapling is not set (off by default)'),
    },
  ])
})
