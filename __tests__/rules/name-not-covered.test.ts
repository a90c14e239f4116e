import { expect, test } from '@jest/globals'
import { ext } from '../helpers/pki.js'
import { rule } from '../../src/rules/name-not-covered.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

const wildcardLeaf = () => [
  ext.notCa(),
  ext.leafKeyUsage(),
  ext.serverAuth(),
  ext.san('*.shop.test', 'shop.test'),
]

test('names the subjectAltName covers pass: exact, and one label under a wildcard (RFC 9525 §6.3)', async () => {
  const cert = await issued(wildcardLeaf())
  expect(
    judge(
      rule,
      contextFor(cert, { expectedNames: ['shop.test', 'www.shop.test', 'API.Shop.Test.', '*.shop.test'] }),
    ),
  ).toEqual([])
  expect(judge(rule, contextFor(await issued(serverLeaf()), { expectedNames: ['leaf.test'] }))).toEqual([])
})

test('each name the leaf does not cover is an error that names it', async () => {
  const cert = await issued(wildcardLeaf())
  // A wildcard covers one label only, never the parent's siblings or two levels down.
  expect(
    judge(rule, contextFor(cert, { expectedNames: ['a.b.shop.test', 'shop.example', 'www.shop.test'] })),
  ).toEqual([
    {
      severity: 'error',
      message:
        'the leaf does not cover a.b.shop.test: its subjectAltName names *.shop.test, shop.test, so clients connecting to a.b.shop.test reject it (RFC 9525 §6)',
    },
    {
      severity: 'error',
      message:
        'the leaf does not cover shop.example: its subjectAltName names *.shop.test, shop.test, so clients connecting to shop.example reject it (RFC 9525 §6)',
    },
  ])
})

test('only leaves are judged, and only when names are expected', async () => {
  const cert = await issued(serverLeaf())
  expect(judge(rule, contextFor(cert, { role: 'intermediate', expectedNames: ['other.test'] }))).toEqual([])
  expect(judge(rule, contextFor(cert))).toEqual([])
})
