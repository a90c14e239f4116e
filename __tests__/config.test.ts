import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.js'
import { UsageError, parseDuration, parseFailOn, resolveOptions } from '../src/options.js'
import { tempDir } from './helpers/pki.js'

const RULES = new Set(['weak-key', 'expires-soon'])

function configIn(text: string): string {
  const dir = tempDir('certgate-config-')
  writeFileSync(join(dir, '.certgate.yml'), text)
  return dir
}

test('settings, severities and ignores are read from .certgate.yml', () => {
  const dir = configIn(
    'profile: private-tls\nfail-on: [revoked, error]\nrules:\n  expires-soon: off\nignore:\n  - fingerprint: "AB:CD"\n    reason: vendor cert\n',
  )
  const config = loadConfig(dir, undefined, RULES)
  expect(config.settings).toEqual({ profile: 'private-tls', 'fail-on': ['revoked', 'error'] })
  expect(config.rules.severity).toEqual({ 'expires-soon': 'off' })
  expect(config.rules.ignore).toEqual([
    { fingerprint: 'abcd', reason: 'vendor cert', rule: undefined, path: undefined },
  ])
  const options = resolveOptions({}, { inputs: ['.'], cwd: dir, config })
  expect(options.profile).toBe('private-tls')
  expect([...options.failOn]).toEqual(['revoked', 'error'])
})

test.each([
  ['ignore:\n  - rule: weak-key\n', 'every ignore needs a "reason"'],
  ['ignore:\n  - reason: why\n', 'name at least one of rule, path or fingerprint'],
  ['rules:\n  no-such-rule: error\n', 'rules.no-such-rule: no such rule'],
  ['rules:\n  weak-key: fatal\n', '"fatal" is not one of error, warning, info, off'],
  ['colour: red\n', 'unknown key "colour"'],
  ['profile: [\n', 'not valid YAML'],
])('a bad config %j is a usage error that names the key', (text, message) => {
  const dir = configIn(text)
  expect(() => loadConfig(dir, undefined, RULES)).toThrow(UsageError)
  expect(() => loadConfig(dir, undefined, RULES)).toThrow(message)
})

test('a named config that does not exist is a usage error; a missing default is fine', () => {
  const dir = tempDir('certgate-config-')
  expect(() => loadConfig(dir, 'nope.yml', RULES)).toThrow('--config: nope.yml does not exist')
  expect(loadConfig(dir, undefined, RULES).settings).toEqual({})
})

test('durations and fail-on tokens', () => {
  expect(parseDuration('--timeout', '10s')).toBe(10_000)
  expect(parseDuration('--max-age', '1.5h')).toBe(5_400_000)
  expect(() => parseDuration('--timeout', '10')).toThrow('use a number with s, m, h or d')
  expect([...parseFailOn('--fail-on', 'revoked, warning')]).toEqual(['revoked', 'warning'])
  expect(() => parseFailOn('input "fail-on"', 'revokd')).toThrow('input "fail-on": "revokd" not accepted')
})
