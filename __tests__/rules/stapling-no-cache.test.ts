import { rule } from '../../src/rules/stapling-no-cache.js'
import { issued, serverLeaf } from './context.js'
import { at, blockContextFor, judgeBlock } from './server-block-context.js'

test('Apache stapling with SSLStaplingCache passes', async () => {
  const cert = await issued(serverLeaf())
  const block = {
    software: 'apache' as const,
    stapling: at(true, 5),
    staplingCache: at('shmcb:/run/s(32768)', 2),
  }
  expect(judgeBlock(rule, blockContextFor(cert, block))).toEqual([])
})

test('Apache stapling without SSLStaplingCache is an error on SSLUseStapling; nginx is not judged', async () => {
  const cert = await issued(serverLeaf())
  expect(judgeBlock(rule, blockContextFor(cert, { software: 'apache', stapling: at(true, 5) }))).toEqual([
    { severity: 'error', line: 5, message: expect.stringContaining('no SSLStaplingCache') },
  ])
  expect(rule.appliesTo(blockContextFor(cert, { stapling: at(true, 5) }))).toBe(false)
})
