import { roleOf } from '../../src/chain/index.js'
import { judgeServedPath } from '../../src/chain/served-path.js'
import { TrustAnchors } from '../../src/chain/anchors.js'
import type { Cert } from '../../src/model/cert.js'
import { rule } from '../../src/rules/chain-unrelated.js'
import { ext, issue, webPki } from '../helpers/pki.js'
import { contextFor, judge } from './context.js'

/** The file judged as served, each certificate's role read from it alone. */
const servedPathOf = (certs: Cert[], trusted: Cert[]) =>
  judgeServedPath(certs, (cert) => ({ role: roleOf(cert) }), {
    anchors: new TrustAnchors({ trusted }),
    now: new Date(),
  })

test('a leaf with its intermediate passes; an intermediate of another CA in the same file fails', async () => {
  const { root, intermediate, leaf } = await webPki()
  const good = [leaf.model, intermediate.model]
  const servedPath = await servedPathOf(good, [root.model])
  for (const cert of good)
    expect(judge(rule, contextFor(cert, { fileCerts: good, servedPath, role: roleOf(cert) }))).toEqual([])

  const other = await issue({ cn: 'Other CA', issuer: root, extensions: [ext.ca(), ext.caKeyUsage()] })
  const mixed = [leaf.model, intermediate.model, other.model]
  const judged = await servedPathOf(mixed, [root.model])
  expect(
    judge(rule, contextFor(other.model, { fileCerts: mixed, servedPath: judged, role: 'intermediate' })),
  ).toEqual([
    {
      severity: 'error',
      message:
        'certificate 2 (CN=Other CA) is not on the path of the leaf CN=leaf.test: clients expect every certificate after the leaf to certify the one before it; remove it from the file',
    },
  ])
  expect(judge(rule, contextFor(intermediate.model, { fileCerts: mixed, servedPath: judged }))).toEqual([])
})
