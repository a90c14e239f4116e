// Trust anchors from Node's bundled Mozilla store are found by name when a
// path asks for them, and only when the system store is in use.
import { rootCertificates } from 'node:tls'
import { TrustAnchors } from '../../src/chain/anchors.js'
import { decodeCertificates } from '../../src/chain/decode.js'
import { webPki } from '../helpers/pki.js'

const publicRoots = rootCertificates.flatMap((pem) => decodeCertificates(Buffer.from(pem), 'roots'))

test('every bundled root is a system anchor and its own candidate issuer', () => {
  const anchors = new TrustAnchors({ system: true })
  for (const root of publicRoots) {
    expect(anchors.anchorSourceOf(root)).toBe('system')
    expect(anchors.candidatesFor(root).map((e) => [e.cert.sha256, e.source])).toContainEqual([
      root.sha256,
      'system',
    ])
  }
  expect(publicRoots.length).toBeGreaterThan(100)
})

test('without the system store a bundled root is no anchor, and --trust roots come first', async () => {
  const { root } = await webPki()
  const withoutSystem = new TrustAnchors({ trusted: [root.model] })
  expect(withoutSystem.anchorSourceOf(publicRoots[0])).toBeUndefined()
  expect(withoutSystem.anchorSourceOf(root.model)).toBe('trust')
  const both = new TrustAnchors({ trusted: [publicRoots[0]], system: true })
  expect(both.anchorSourceOf(publicRoots[0])).toBe('trust')
  expect(both.candidatesFor(publicRoots[0])[0]).toMatchObject({ source: 'trust' })
})
