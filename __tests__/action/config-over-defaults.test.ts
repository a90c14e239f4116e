// The runner passes every input, action.yml's defaults included. A default
// there would be indistinguishable from a value the workflow set, and would
// silently win over the config file: `fail-on` or `profile` in .certgate.yml
// would never apply in the action. Inputs that the config can also set have
// no default in action.yml; the engine's defaults apply after the config's.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { bundle, runAction } from '../helpers/action.js'
import { compliantCa, issue, leafExtensions, tempDir, type Issued } from '../helpers/pki.js'

const DAY = 86_400_000

;(existsSync(bundle) ? describe : describe.skip)(
  'dist/index.js: the config file over action.yml defaults',
  () => {
    let workspace: string

    beforeAll(async () => {
      const pki: { root: Issued; intermediate: Issued } = await compliantCa('Config over defaults')
      const expired = await issue({
        cn: 'expired.example.test',
        issuer: pki.intermediate,
        extensions: leafExtensions('expired.example.test'),
        notBefore: new Date(Date.now() - 100 * DAY),
        notAfter: new Date(Date.now() - 10 * DAY),
      })
      workspace = tempDir('certgate-action-config-')
      writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
      writeFileSync(join(workspace, 'site.pem'), expired.pem + pki.intermediate.pem)
      // The team accepts lint errors for now and gates on revocation only.
      writeFileSync(join(workspace, '.certgate.yml'), 'fail-on: revoked,unknown\n')
    })
    afterAll(() => rmSync(workspace, { recursive: true, force: true }))

    test("the config's fail-on applies when the workflow sets none", async () => {
      const { code, outputs, stdout } = await runAction(workspace, { files: 'site.pem', trust: 'root.pem' })
      // The finding keeps its severity; the config's fail-on decides that it does not fail the gate.
      expect(stdout).toMatch(/^::error title=certgate expired,file=site\.pem,line=1::/m)
      expect(stdout).not.toMatch(/^::error::certgate: gate failed/m)
      expect(outputs.result).toBe('pass')
      expect(code).toBe(0)
    })

    test('an input the workflow sets wins over the config', async () => {
      const { code, outputs, stdout } = await runAction(workspace, {
        files: 'site.pem',
        trust: 'root.pem',
        'fail-on': 'revoked,error',
      })
      expect(stdout).toMatch(/^::error title=certgate expired,file=site\.pem,line=1::/m)
      expect(outputs.result).toBe('fail')
      expect(code).toBe(1)
    })
  },
)
