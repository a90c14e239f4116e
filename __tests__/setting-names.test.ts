// How advice names a setting in each shell: flags on the command line,
// inputs in the action, the config file's key where the shell has no name
// for the setting (the action's nonce, hash, ...), with the value to set.
import { describe, expect, test } from '@jest/globals'
import { resolveOptions } from '../src/options.js'
import { adviser, COMMAND_LINE, flagAdvice, type Shell } from '../src/setting-names.js'

/** A shell with inputs for timeout, revocation and allow-private-network only. */
const inputs: Shell = {
  name: (key) =>
    ['timeout', 'revocation', 'allow-private-network'].includes(key) ? `input "${key}"` : undefined,
  flags: false,
}

describe('the command line', () => {
  test.each([
    ['issuer', undefined, '--issuer'],
    ['revocation', 'crl', '--revocation crl'],
    // A switch is a flag alone: --allow-private-network takes no value.
    ['allow-private-network', undefined, '--allow-private-network'],
    ['allow-private-network', 'true', '--allow-private-network'],
  ] as const)('%s %s is %s', (key, value, named) => {
    expect(flagAdvice(key, value)).toBe(named)
    expect(adviser(COMMAND_LINE, 'ci/certgate.yml')(key, value)).toBe(named)
  })

  test("is the engine's default: resolveOptions without a shell advises flags", () => {
    const options = resolveOptions({}, { inputs: ['.'], cwd: '.' })
    expect(options.advise('nonce', 'require')).toBe('--nonce require')
  })
})

describe('a shell of inputs', () => {
  const advise = adviser(inputs, 'ci/certgate.yml')
  test.each([
    ['timeout', undefined, 'input "timeout"'],
    ['revocation', 'crl', 'input "revocation" set to crl'],
    // A switch in YAML is set to true, or nothing changes.
    ['allow-private-network', undefined, 'input "allow-private-network" set to true'],
    // No input: the config file in use, by its key.
    ['nonce', 'require', 'ci/certgate.yml key "nonce" set to require'],
    ['issuer', undefined, 'ci/certgate.yml key "issuer"'],
  ] as const)('%s %s is %s', (key, value, named) => {
    expect(advise(key, value)).toBe(named)
  })

  test('without a config file in use, advice points at the default one', () => {
    expect(adviser(inputs)('hash', 'sha256')).toBe('.certgate.yml key "hash" set to sha256')
  })

  test("resolveOptions gives the stages the shell's advice, and names bad values the same way", () => {
    const options = resolveOptions({ timeout: '5s' }, { inputs: ['.'], cwd: '.' }, inputs)
    expect(options.advise('timeout')).toBe('input "timeout"')
    expect(options.advise('nonce', 'require')).toBe('.certgate.yml key "nonce" set to require')
    expect(options.settingName('timeout')).toBe('input "timeout"')
    // A setting the shell cannot set is only ever set by the config file: its errors name the key there.
    expect(options.settingName('nonce')).toBe('.certgate.yml: nonce')
  })
})
