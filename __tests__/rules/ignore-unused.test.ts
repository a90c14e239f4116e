// ignore-unused is judged after the whole run, on the config file: check()
// on a folder with a .certgate.yml, as the CLI and the action run it.
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { loadConfig } from '../../src/config.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { Report } from '../../src/report/types.js'
import { ruleIds } from '../../src/rules/registry.js'
import { shardScope } from '../../src/scope.js'
import { ext, issue, tempDir } from '../helpers/pki.js'

let dir: string
let sha256: string
beforeAll(async () => {
  dir = tempDir('certgate-ignore-unused-')
  const leaf = await issue({
    cn: 'sha1.test',
    hash: 'SHA-1',
    extensions: [ext.notCa(), ext.san('sha1.test')],
  })
  sha256 = leaf.model.sha256
  writeFileSync(join(dir, 'leaf.pem'), leaf.pem)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(config: string, settings: RawSettings = {}): Promise<Report> {
  writeFileSync(join(dir, '.certgate.yml'), config)
  const loaded = loadConfig(dir, undefined, ruleIds)
  const options = resolveOptions(
    { profile: 'rfc5280', revocation: 'off', trust: 'leaf.pem', ...settings },
    { inputs: ['leaf.pem'], cwd: dir, config: loaded },
  )
  return check(options)
}

test('an ignore that matches a finding passes; one that matches nothing is a warning on its line of the config file', async () => {
  const used = `ignore:\n  - rule: weak-signature\n    fingerprint: ${sha256}\n    reason: vendor appliance\n`
  const clean = await run(used)
  expect(clean.files.map((f) => f.file)).toEqual(['leaf.pem'])
  expect(clean.certificates[0].findings.find((f) => f.rule === 'weak-signature')?.ignored).toBe(
    'vendor appliance',
  )

  const stale = `${used}  - rule: weak-key\n    path: legacy/**\n    reason: replaced last year\n`
  const report = await run(stale)
  expect(report.files.find((f) => f.kind === 'config')).toEqual({
    file: '.certgate.yml',
    kind: 'config',
    certificates: 0,
    failed: false,
    findings: [
      {
        rule: 'ignore-unused',
        severity: 'warning',
        line: 5,
        message:
          'this ignore (rule weak-key, path legacy/**) matched no finding in the run; remove it, or fix what it names',
      },
    ],
  })
  // The config file is not an input: it does not count among the files checked.
  expect(report.summary.files).toBe(1)
  expect(report.result).toBe('pass')
  expect((await run(stale, { 'fail-on': 'warning' })).result).toBe('fail')
})

test('a shard does not judge ignores: the findings they match may be in another shard', async () => {
  writeFileSync(join(dir, '.certgate.yml'), 'ignore:\n  - rule: weak-key\n    reason: none here\n')
  const loaded = loadConfig(dir, undefined, ruleIds)
  const options = resolveOptions({ revocation: 'off' }, { inputs: ['leaf.pem'], cwd: dir, config: loaded })
  const report = await check({ ...options, scope: shardScope({ index: 1, count: 1 }) })
  expect(report.files.map((f) => f.kind)).toEqual(['certificates'])
})
