// Requests started while files load (src/revocation/prefetch.ts): asked with
// the one issuer that fits, once per certificate, never for a root or with an
// issuer that did not sign; and a guess the chain stage does not confirm
// costs a request but never the verdict.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { Cert } from '../../src/model/cert.js'
import { createRevocationChecker, type RevocationChecker } from '../../src/revocation/checker.js'
import { revocationPrefetch } from '../../src/revocation/prefetch.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { checkFiles, entryOf } from '../helpers/check-run.js'
import { startForgedResponder, type ForgedResponder } from '../helpers/ocsp-responder.js'
import { ext, issue, tempDir, webPki, writePem, type Issued } from '../helpers/pki.js'

let pki: { root: Issued; intermediate: Issued; leaf: Issued }
/** Same name and key as the intermediate, but self-signed: it verifies the same leaves. */
let twin: Issued
/** The intermediate's name on another key, without key identifiers to tell: only its signature can. */
let impostor: Issued
let responder: ForgedResponder
let leaves: Issued[]
const dir = tempDir('certgate-prefetch-')

beforeAll(async () => {
  pki = await webPki()
  const { intermediate } = pki
  twin = await issue({
    cn: 'certgate Test Intermediate',
    keys: intermediate.keys,
    extensions: [ext.ca(0), ext.caKeyUsage()],
  })
  impostor = await issue({
    cn: 'certgate Test Intermediate',
    noKeyIds: true,
    extensions: [ext.ca(0), ext.caKeyUsage()],
  })
  responder = await startForgedResponder({
    issuer: intermediate,
    unrelated: impostor,
    delegatedWithoutEku: impostor,
    foreignDelegate: impostor,
  })
  leaves = await Promise.all(
    [1, 2, 3].map((i) =>
      issue({
        cn: `prefetch-${i}.test`,
        issuer: intermediate,
        extensions: [ext.notCa(), ext.aia([responder.url('good')])],
      }),
    ),
  )
})
afterAll(async () => {
  await responder.close()
  rmSync(dir, { recursive: true, force: true })
})

/** The real checker, with every question it is asked written down, and a way to await the answers. */
function observed(): {
  checker: RevocationChecker
  asked: [Cert, Cert | undefined][]
  settled: () => Promise<unknown>
} {
  const real = createRevocationChecker(
    revocationOptions({ allowPrivateNetwork: true, timeoutMs: 5000, retries: 0, concurrency: 4 }),
  )
  const asked: [Cert, Cert | undefined][] = []
  const answers: Promise<unknown>[] = []
  const checker = {
    ...real,
    check: (cert: Cert, issuer: Cert | undefined) => {
      asked.push([cert, issuer])
      const answer = real.check(cert, issuer)
      answers.push(answer)
      return answer
    },
  }
  // Awaited by each test, so no request of one test reaches the responder during the next.
  return { checker, asked, settled: () => Promise.all(answers) }
}

const names = (asked: [Cert, Cert | undefined][]): string[][] =>
  asked.map(([cert, issuer]) => [cert.subject, issuer === undefined ? '-' : issuer.sha256])

describe('revocationPrefetch', () => {
  test('a leaf loaded before its issuer is asked once the issuer loads, with that issuer', async () => {
    const { checker, asked, settled } = observed()
    const prefetch = revocationPrefetch(checker, [])
    prefetch.add([leaves[0].model])
    await prefetch.settled()
    expect(asked).toEqual([])
    prefetch.add([pki.intermediate.model])
    await prefetch.settled()
    expect(names(asked)).toEqual([[leaves[0].model.subject, pki.intermediate.model.sha256]])
    await settled()
  })

  test('a chain in one file: the leaf and the intermediate are asked, the root is not', async () => {
    const { checker, asked, settled } = observed()
    const prefetch = revocationPrefetch(checker, [])
    prefetch.add([leaves[1].model, pki.intermediate.model, pki.root.model])
    await prefetch.settled()
    expect(names(asked).sort()).toEqual(
      [
        [leaves[1].model.subject, pki.intermediate.model.sha256],
        [pki.intermediate.model.subject, pki.root.model.sha256],
      ].sort(),
    )
    await settled()
  })

  test('--issuer certificates count as loaded; a certificate repeated in files is asked once', async () => {
    const { checker, asked, settled } = observed()
    const prefetch = revocationPrefetch(checker, [pki.intermediate.model])
    prefetch.add([leaves[2].model])
    prefetch.add([leaves[2].model])
    await prefetch.settled()
    expect(names(asked)).toEqual([[leaves[2].model.subject, pki.intermediate.model.sha256]])
    await settled()
  })

  test('a CA of the right name whose key did not sign is no issuer', async () => {
    const { checker, asked, settled } = observed()
    const prefetch = revocationPrefetch(checker, [])
    prefetch.add([impostor.model, leaves[0].model])
    await prefetch.settled()
    expect(asked).toEqual([])
    await settled()
  })

  test('two CAs that both fit are left to the chain stage', async () => {
    const { checker, asked, settled } = observed()
    const prefetch = revocationPrefetch(checker, [twin.model, pki.intermediate.model])
    prefetch.add([leaves[1].model])
    await prefetch.settled()
    expect(asked).toEqual([])
    await settled()
  })
})

describe('check() with requests started while loading', () => {
  const settings = () => ({
    revocation: 'ocsp',
    'allow-private-network': true,
    trust: writePem(dir, 'root.pem', pki.root),
    retries: 0,
  })

  test('leaves listed before their issuer: one request each, every verdict the responder gave', async () => {
    const tree = join(dir, 'tree')
    mkdirSync(join(tree, 'a-leaves'), { recursive: true })
    leaves.forEach((leaf, i) => writePem(join(tree, 'a-leaves'), `leaf-${i}.pem`, leaf))
    writePem(tree, 'z-intermediate.pem', pki.intermediate)
    const before = responder.hits.get('good') ?? 0
    const report = await checkFiles(tree, ['.'], settings())
    expect((responder.hits.get('good') ?? 0) - before).toBe(leaves.length)
    for (const leaf of leaves)
      expect(entryOf(report, leaf.model.sha256).revocation).toMatchObject({ source: 'ocsp', status: 'good' })
  })

  test('a guess the chain stage does not confirm costs a request, not the verdict', async () => {
    // The untrusted twin loads first and is the only fitting issuer then; the chain stage
    // later prefers the intermediate that leads to the trusted root.
    const tree = join(dir, 'twin')
    mkdirSync(tree, { recursive: true })
    writePem(tree, 'a-leaf-and-twin.pem', leaves[0], twin)
    writePem(tree, 'b-intermediate.pem', pki.intermediate)
    const before = responder.hits.get('good') ?? 0
    const report = await checkFiles(tree, ['.'], settings())
    const entry = entryOf(report, leaves[0].model.sha256)
    expect(entry.revocation).toMatchObject({ source: 'ocsp', status: 'good' })
    expect(entry.chain?.[0].sha256).toBe(pki.intermediate.model.sha256)
    expect(entry.chainStatus).toBe('valid')
    expect((responder.hits.get('good') ?? 0) - before).toBe(2)
  })
})
