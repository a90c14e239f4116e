// What a user reads when something they gave is wrong: every message names
// where the value came from (flag, config file and key) and what to do, no
// value that would be misread is accepted, and a report already written to
// stdout is never followed by an "internal error".
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../src/cli.js'
import type { Report } from '../src/report/types.js'
import { compliantCa, issue, leafExtensions, tempDir } from './helpers/pki.js'

let dir: string

beforeAll(async () => {
  dir = tempDir('certgate-messages-')
  // A chain that passes the default profile, so only the value under test can fail a run.
  const { root, intermediate } = await compliantCa('Messages Test')
  const cn = 'site.example.test'
  const leaf = await issue({ cn, issuer: intermediate, days: 90, extensions: leafExtensions(cn) })
  writeFileSync(join(dir, 'fullchain.pem'), leaf.pem + intermediate.pem)
  writeFileSync(join(dir, 'root.pem'), root.pem)
  mkdirSync(join(dir, 'empty'))
  writeFileSync(join(dir, 'empty', 'README.txt'), 'certificates go here\n')
})

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(args, {
    stdout: { write: (s: string) => ((stdout += s), true) } as unknown as NodeJS.WritableStream,
    stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
    cwd: dir,
  })
  return { code, stdout, stderr }
}

/** A lint-only check of the good chain with `args` added. */
const checkWith = (...args: string[]) =>
  cli('check', '--revocation', 'off', '--trust', 'root.pem', ...args, 'fullchain.pem')

describe('paths', () => {
  test('an existing directory without certificate files is not "no such file"', async () => {
    const { code, stderr } = await cli('check', 'empty')
    expect(code).toBe(2)
    expect(stderr).toBe(
      'certgate: empty is a directory with no certificate files in it (*.pem *.crt *.cer *.der *.p7b *.p7c *.ocsp *.der-staple)\n',
    )
    const missing = await cli('check', 'nowhere')
    expect(missing.stderr).toBe('certgate: no such file, directory or matching glob: nowhere\n')
  })

  test('a stored OCSP response that is not there is named by its option', async () => {
    const { code, stderr } = await cli('check', '--staple', 'site.ocsp', 'fullchain.pem')
    expect(code).toBe(2)
    expect(stderr).toBe('certgate: --staple: no such file: site.ocsp\n')
  })

  test('--output where no file can be written: the report on stdout is complete, the error says why', async () => {
    // A regular file stands where a directory would be: not writable, even for root.
    const { code, stdout, stderr } = await checkWith(
      '--format',
      'json',
      '--output',
      'root.pem/reports/out.json',
    )
    const report = JSON.parse(stdout) as Report
    expect(report.files.map((f) => f.file)).toEqual(['fullchain.pem'])
    expect(report.certificates).toHaveLength(2)
    expect(stderr).toBe(
      'certgate: --output root.pem/reports/out.json: cannot write the report there (ENOTDIR); the report above is complete\n',
    )
    expect(code).toBe(2)
  })

  test('--output into a folder that does not exist yet creates it', async () => {
    const { code, stdout } = await checkWith('--format', 'json', '--output', 'reports/today/out.json')
    expect(code).toBe(0)
    expect(readFileSync(join(dir, 'reports/today/out.json'), 'utf8')).toBe(stdout)
  })
})

describe('options', () => {
  test.each([
    ['--tmeout', '5s', 'unknown option --tmeout; did you mean --timeout?'],
    ['--revocaton=off', undefined, 'unknown option --revocaton; did you mean --revocation?'],
    ['--colour', undefined, 'unknown option --colour'],
  ])('%s is an unknown option, with the likely one suggested', async (option, value, message) => {
    const { code, stderr } = await cli('check', option, ...(value ? [value] : []), 'fullchain.pem')
    expect(code).toBe(2)
    expect(stderr).toBe(`certgate: ${message}\nTry 'certgate --help'.\n`)
  })

  test('an unknown command gets the likely one', async () => {
    expect((await cli('chek', 'fullchain.pem')).stderr).toContain(
      'unknown command "chek"; did you mean check?',
    )
  })

  test.each([
    [['--now', '2026-02-30'], '--now: "2026-02-30" is not a date or time that exists'],
    [['--now', '2026-12-01T24:30Z'], '--now: "2026-12-01T24:30Z" is not a date or time that exists'],
    [['--now', '2026-12-01T10:00'], '--now: "2026-12-01T10:00" has no time zone; add Z for UTC or an offset'],
    [['--now', 'yesterday'], '--now: "yesterday" is not an ISO-8601 date or time'],
    [['--timeout', '0s'], '--timeout: "0s" is no time at all; give more than 0'],
    [
      ['--expiry-error', '40d', '--expiry-warning', '7d'],
      '--expiry-error (40d) must be shorter than --expiry-warning (7d)',
    ],
    [['--expiry-error', '40d'], '--expiry-error (40d) must be shorter than --expiry-warning (30d)'],
  ])('%j is refused: %s', async (args, message) => {
    const { code, stderr } = await checkWith(...args)
    expect(code).toBe(2)
    expect(stderr).toContain(`certgate: ${message}`)
  })

  test.each([
    ['2026-11-21', '2026-11-21T00:00:00.000Z'],
    ['2026-11-21T12:00:00Z', '2026-11-21T12:00:00.000Z'],
    ['2026-11-21T12:00+02:00', '2026-11-21T10:00:00.000Z'],
    ['2026-11-21T12:00:30.25-0130', '2026-11-21T13:30:30.250Z'],
    ['2028-02-29', '2028-02-29T00:00:00.000Z'],
  ])('--now %s is the instant %s', async (now, instant) => {
    const { stdout } = await checkWith('--format', 'json', '--now', now)
    expect((JSON.parse(stdout) as Report & { now: string }).now).toBe(instant)
  })
})

describe('certgate rules', () => {
  test("with rule ids, shows those rules with every profile's severity", async () => {
    const { code, stdout } = await cli('rules', 'expired')
    expect(code).toBe(0)
    expect(stdout).toMatch(
      /^expired\n {2}.+\n {2}citation: RFC 5280 §4\.1\.2\.5.*\n {2}severity: public-tls error, /,
    )
    expect(stdout).not.toContain('weak-key')
    const json = JSON.parse((await cli('rules', '--format', 'json', 'weak-key', 'expired')).stdout)
    expect(json.map((r: { id: string }) => r.id)).toEqual(['weak-key', 'expired'])
  })

  test('an unknown rule id is a usage error with the likely one', async () => {
    const { code, stderr } = await cli('rules', 'expird')
    expect(code).toBe(2)
    expect(stderr).toBe(
      `certgate: no rule "expird"; did you mean expired? ('certgate rules' lists them all)\n`,
    )
  })
})

describe('.certgate.yml', () => {
  /** A folder holding the good chain and a config file with `text`. */
  function withConfig(text: string, name = '.certgate.yml'): string {
    const configured = tempDir('certgate-messages-config-')
    for (const file of ['fullchain.pem', 'root.pem']) {
      writeFileSync(join(configured, file), readFileSync(join(dir, file)))
    }
    mkdirSync(join(configured, 'ci'))
    writeFileSync(join(configured, name), text)
    return configured
  }
  async function cliIn(cwd: string, ...args: string[]) {
    let stderr = ''
    const code = await runCli(['check', '--revocation', 'off', ...args, 'fullchain.pem'], {
      stdout: { write: () => true } as unknown as NodeJS.WritableStream,
      stderr: { write: (s: string) => ((stderr += s), true) } as unknown as NodeJS.WritableStream,
      cwd,
    })
    return { code, stderr }
  }

  test.each([
    ['timeout: ten\n', '.certgate.yml: timeout: "ten" is not a duration'],
    ['now: 2026-02-30\n', '.certgate.yml: now: "2026-02-30" is not a date or time that exists'],
    ['expiry-error: 60d\n', '.certgate.yml: expiry-error (60d) must be shorter than --expiry-warning (30d)'],
    ['timout: 5s\n', '.certgate.yml: unknown key "timout"; did you mean timeout?'],
  ])('%j: the message names the file and the key', async (text, message) => {
    const { code, stderr } = await cliIn(withConfig(text), '--trust', 'root.pem')
    expect(code).toBe(2)
    expect(stderr).toContain(`certgate: ${message}`)
  })

  test('a trust anchor file the config names is reported on the config key', async () => {
    const { code, stderr } = await cliIn(withConfig('trust: missing-root.pem\n'))
    expect(code).toBe(2)
    expect(stderr).toBe('certgate: .certgate.yml: trust: no such file: missing-root.pem\n')
  })

  test('a file named with --config is named as given; a flag that overrides the key is named as the flag', async () => {
    const cwd = withConfig('timeout: ten\n', 'ci/gate.yml')
    const named = await cliIn(cwd, '--config', 'ci/gate.yml', '--trust', 'root.pem')
    expect(named.stderr).toContain('certgate: ci/gate.yml: timeout: "ten" is not a duration')
    const overridden = await cliIn(cwd, '--config', 'ci/gate.yml', '--trust', 'root.pem', '--timeout', '0s')
    expect(overridden.stderr).toContain('certgate: --timeout: "0s" is no time at all')
    expect((await cliIn(cwd, '--config', 'ci/gate.yml', '--trust', 'root.pem', '--timeout', '5s')).code).toBe(
      0,
    )
  })
})
