import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig } from '../src/config.js'
import { UsageError, parseDuration, parseFailOn, parseSize, resolveOptions } from '../src/options.js'
import { tempDir } from './helpers/pki.js'

const RULES = new Set(['weak-key', 'expires-soon'])
const FINGERPRINT = '3f9a0c51e2d87b4a6f1c09d3b85e27a4c6d18f0b92e5a7c3d4f6081b2c9e5d7a'
const FINGERPRINT_COLONS = FINGERPRINT.toUpperCase().match(/../g)!.join(':')

function configIn(text: string): string {
  const dir = tempDir('certgate-config-')
  writeFileSync(join(dir, '.certgate.yml'), text)
  return dir
}

test('settings, severities and ignores are read from .certgate.yml', () => {
  const dir = configIn(
    `profile: private-tls\nfail-on: [revoked, error]\nrules:\n  expires-soon: off\nignore:\n  - fingerprint: "${FINGERPRINT_COLONS}"\n    reason: vendor cert\n`,
  )
  const config = loadConfig(dir, undefined, RULES)
  expect(config.settings).toEqual({ profile: 'private-tls', 'fail-on': ['revoked', 'error'] })
  expect(config.rules.severity).toEqual({ 'expires-soon': 'off' })
  expect(config.rules.ignore).toEqual([
    { fingerprint: FINGERPRINT, reason: 'vendor cert', rule: undefined, path: undefined, line: 6 },
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
  [
    'ignore:\n  - fingerprint: "AB:CD"\n    reason: prefix\n',
    'ignore[0].fingerprint: "AB:CD" is not a full SHA-256 fingerprint',
  ],
  [
    'ignore:\n  - fingerprint: 3f9a…\n    reason: the README example, as it once was\n',
    'ignore[0].fingerprint: "3f9a…" is not a full SHA-256 fingerprint',
  ],
  [
    'ignore:\n  - reason: ok\n    rule: weak-key\n  - fingerprint: da39a3ee5e6b4b0d3255bfef95601890afd80709\n    reason: SHA-1\n',
    'ignore[1].fingerprint: "da39a3ee5e6b4b0d3255bfef95601890afd80709" is not a full SHA-256 fingerprint',
  ],
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

test('the bounds: --deadline and --crl-budget, from flags or the config file', () => {
  expect(parseSize('--crl-budget', '512MiB')).toBe(512 * 1024 ** 2)
  expect(parseSize('--crl-budget', '1.5 GiB')).toBe(1.5 * 1024 ** 3)
  expect(parseSize('--crl-budget', '64kib')).toBe(65_536)
  expect(() => parseSize('--crl-budget', '0B')).toThrow('--crl-budget: "0B" is too small')
  expect(() => parseSize('--crl-budget', '1GB')).toThrow('is not a size')
  const defaults = resolveOptions({}, { inputs: ['.'], cwd: '.' })
  expect(defaults.deadline).toEqual({ ms: 15 * 60_000, label: '15m' })
  expect(defaults.crlBudgetBytes).toBe(512 * 1024 ** 2)
  const dir = configIn('deadline: 90s\ncrl-budget: 64MiB\n')
  const config = loadConfig(dir, undefined, RULES)
  const fromConfig = resolveOptions({}, { inputs: ['.'], cwd: dir, config })
  expect(fromConfig.deadline).toEqual({ ms: 90_000, label: '90s' })
  expect(fromConfig.crlBudgetBytes).toBe(64 * 1024 ** 2)
  expect(resolveOptions({ deadline: '2m' }, { inputs: ['.'], cwd: dir, config }).deadline.label).toBe('2m')
  const bad = configIn('crl-budget: lots\n')
  expect(() =>
    resolveOptions({}, { inputs: ['.'], cwd: bad, config: loadConfig(bad, undefined, RULES) }),
  ).toThrow(/\.certgate\.yml: crl-budget: "lots" is not a size/)
})

test('durations and fail-on tokens', () => {
  expect(parseDuration('--timeout', '10s')).toBe(10_000)
  expect(parseDuration('--max-age', '1.5h')).toBe(5_400_000)
  expect(() => parseDuration('--timeout', '10')).toThrow('use a number with s, m, h or d')
  expect([...parseFailOn('--fail-on', 'revoked, warning')]).toEqual(['revoked', 'warning'])
  expect(() => parseFailOn('input "fail-on"', 'revokd')).toThrow('input "fail-on": "revokd" not accepted')
})
