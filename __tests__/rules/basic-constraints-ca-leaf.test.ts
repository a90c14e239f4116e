import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/basic-constraints-ca-leaf.js'
import { contextFor, issued, judge } from './context.js'

const serverParts = () => [ext.leafKeyUsage(), ext.serverAuth(), ext.san('leaf.test')]

test('a leaf with cA:FALSE, or without basicConstraints, passes', async () => {
  expect(judge(rule, contextFor(await issued([ext.notCa(), ...serverParts()])))).toEqual([])
  expect(judge(rule, contextFor(await issued(serverParts())))).toEqual([])
})

test('a leaf asserting cA:TRUE fails in every profile', async () => {
  const cert = await issued([ext.ca(), ...serverParts()])
  for (const profile of ['public-tls', 'private-tls', 'client-tls', 'rfc5280'] as const)
    expect(judge(rule, contextFor(cert, { profile }))).toEqual([
      { severity: 'error', message: expect.stringContaining('cA:TRUE') },
    ])
})

test('a server certificate placed as an intermediate is still judged; a real CA is not', async () => {
  const server = await issued([ext.ca(), ...serverParts()])
  expect(judge(rule, contextFor(server, { role: 'intermediate' }))).toHaveLength(1)
  const ca = await issued([ext.ca(0), ext.caKeyUsage()])
  expect(judge(rule, contextFor(ca, { role: 'intermediate' }))).toEqual([])
})
