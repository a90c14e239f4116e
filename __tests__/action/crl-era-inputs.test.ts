// The CRL-era inputs of the action (require-sct, ct-log-list, ari) as the
// runner passes them: INPUT_* variables to `node dist/index.js`, findings as
// workflow commands on the leaf's file and line.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ariCertId } from '../../src/ari/cert-id.js'
import { bundle, runAction } from '../helpers/action.js'
import { createTestLog, issueWithScts, listEntry, logList } from '../helpers/ct-log.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { compliantCa, issue, leafExtensions, tempDir, type Issued } from '../helpers/pki.js'

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js: require-sct, ct-log-list, ari', () => {
  let pki: { root: Issued; intermediate: Issued }
  let workspace: string
  const workspaces: string[] = []
  let server: FileServer

  beforeAll(async () => {
    pki = await compliantCa('Action CRL era')
    server = await serveFiles()
  })
  afterAll(async () => {
    await server.close()
  })

  const setUp = (leaf: Issued) => {
    workspace = tempDir('certgate-action-era-')
    workspaces.push(workspace)
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    writeFileSync(join(workspace, 'site.pem'), leaf.pem + pki.intermediate.pem)
  }
  afterAll(() => workspaces.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  test('require-sct and ct-log-list: a leaf logged to one operator only fails on its line', async () => {
    const log = await createTestLog()
    const { cert } = await issueWithScts(
      { cn: 'ct.example.test', issuer: pki.intermediate, extensions: leafExtensions('ct.example.test') },
      [{ log }],
    )
    setUp(cert)
    writeFileSync(
      join(workspace, 'logs.json'),
      JSON.stringify(
        logList({ Solo: [listEntry(log, 'Solo log', { name: 'usable', since: '2020-01-01T00:00:00Z' })] }),
      ),
    )
    const { code, stdout } = await runAction(workspace, {
      files: 'site.pem',
      trust: 'root.pem',
      'require-sct': 'true',
      'ct-log-list': 'logs.json',
    })
    expect(stdout).toMatch(
      /^::error title=certgate sct-missing,file=site\.pem,line=1::Chrome CT policy not met: verified SCTs from 1 distinct log/m,
    )
    expect(stdout).not.toMatch(/sct-invalid/)
    expect(code).toBe(1)
  })

  test('ari: a window that has passed is an error on the leaf', async () => {
    const leaf = await issue({
      cn: 'ari.example.test',
      issuer: pki.intermediate,
      extensions: leafExtensions('ari.example.test'),
    })
    setUp(leaf)
    const past = { start: new Date(Date.now() - 86_400_000 * 2), end: new Date(Date.now() - 86_400_000) }
    server.set(`/renewal-info/${ariCertId(leaf.model)}`, { body: JSON.stringify({ suggestedWindow: past }) })
    const { code, stdout } = await runAction(workspace, {
      files: 'site.pem',
      trust: 'root.pem',
      ari: server.url('/renewal-info'),
    })
    expect(stdout).toMatch(
      /^::error title=certgate renewal-due,file=site\.pem,line=1::The CA's suggested renewal window/m,
    )
    expect(code).toBe(1)
  })
})
