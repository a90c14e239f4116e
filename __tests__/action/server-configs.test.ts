// The server-configs and server-root inputs as the runner passes them:
// INPUT_* variables to `node dist/index.js`; findings on the nginx
// configuration become workflow commands on its file and line, and the
// certificate it names is checked without being listed in `files`.
import { afterAll, describe, expect, test } from '@jest/globals'
import { webcrypto } from 'node:crypto'
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundle, runAction } from '../helpers/action.js'
import { compliantCa, ext, issue, leafExtensions, tempDir } from '../helpers/pki.js'

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js: server-configs, server-root', () => {
  const workspaces: string[] = []
  afterAll(() => workspaces.forEach((dir) => rmSync(dir, { recursive: true, force: true })))

  test('a Must-Staple leaf behind ssl_stapling off is an error annotation on the config line', async () => {
    const pki = await compliantCa('Action server config')
    const leaf = await issue({
      cn: 'shop.example.test',
      issuer: pki.intermediate,
      extensions: [...leafExtensions('shop.example.test'), ext.mustStaple()],
    })
    const workspace = tempDir('certgate-action-server-config-')
    workspaces.push(workspace)
    mkdirSync(join(workspace, 'deploy', 'tls'), { recursive: true })
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    writeFileSync(join(workspace, 'deploy', 'tls', 'shop.pem'), leaf.pem + pki.intermediate.pem)
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', leaf.keys.privateKey))
    writeFileSync(
      join(workspace, 'deploy', 'tls', 'shop.key'),
      `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`,
    )
    writeFileSync(
      join(workspace, 'deploy', 'nginx.conf'),
      'http {\n  server {\n    ssl_certificate tls/shop.pem;\n    ssl_certificate_key tls/shop.key;\n    ssl_stapling off;\n  }\n}\n',
    )
    const { code, stdout, outputs } = await runAction(workspace, {
      files: '',
      'server-configs': 'deploy/nginx.conf',
      'server-root': 'deploy',
      trust: 'root.pem',
      revocation: 'off',
    })
    expect(stdout).toMatch(
      /^::error title=certgate must-staple-stapling-off,file=deploy\/nginx\.conf,line=5::CN=shop\.example\.test is Must-Staple/m,
    )
    // The key belongs to the leaf: no key finding.
    expect(stdout).not.toMatch(/server-key-mismatch/)
    expect(outputs['checked-count']).toBe('2')
    expect(code).toBe(1)
  })
})
