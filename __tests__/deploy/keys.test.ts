// `--key FILE`: private keys of every form openssl writes (PKCS#8, PKCS#1,
// SEC1; PEM and DER; RSA, EC, Ed25519) are matched to the checked leaves by
// public key; a key of no leaf is key-mismatch on the key file, an encrypted
// one key-encrypted; and no output format ever carries key material.
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runCli } from '../../src/cli.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'
import { runCheck, type CheckRun } from '../helpers/run-check.js'

const certs = new OpensslCerts()
const dir = certs.dir
const leafNames = ['rsa', 'ec', 'ed'] as const

beforeAll(() => {
  certs.make('root', { subject: '/CN=Keys Test Root', extensions: EXTENSIONS.root })
  certs.openssl(['genpkey', '-algorithm', 'ed25519', '-out', 'ed.key'])
  for (const name of leafNames)
    certs.make(name, {
      subject: `/CN=${name}.keys.test`,
      issuer: 'root',
      ...(name === 'ed' ? { keyOf: 'ed' } : { key: name }),
      // A revocation source, so that the leaves pass and only the keys decide.
      extensions: `${EXTENSIONS.leaf(`${name}.keys.test`)}\ncrlDistributionPoints = URI:http://crl.keys.test/root.crl`,
    })
  // A leaf that is not checked: its key belongs to nothing deployed.
  certs.make('elsewhere', {
    subject: '/CN=elsewhere.keys.test',
    issuer: 'root',
    extensions: EXTENSIONS.leaf('elsewhere.keys.test'),
  })
  mkdirSync(join(dir, 'site'))
  for (const name of leafNames) copyFileSync(certs.path(name), join(dir, 'site', `${name}.pem`))
  // The other encodings of the same keys, as openssl writes them.
  const derived: string[][] = [
    ['rsa', '-in', 'rsa.key', '-traditional', '-out', 'rsa-pkcs1.pem'],
    ['rsa', '-in', 'rsa.key', '-traditional', '-outform', 'DER', '-out', 'rsa-pkcs1.der'],
    ['pkey', '-in', 'rsa.key', '-outform', 'DER', '-out', 'rsa-pkcs8.der'],
    ['ec', '-in', 'ec.key', '-out', 'ec-sec1.pem'],
    ['ec', '-in', 'ec.key', '-outform', 'DER', '-out', 'ec-sec1.der'],
    ['pkey', '-in', 'ed.key', '-outform', 'DER', '-out', 'ed-pkcs8.der'],
    ['pkcs8', '-topk8', '-in', 'rsa.key', '-passout', 'pass:secret', '-out', 'rsa-encrypted.pem'],
    [
      'pkcs8',
      '-topk8',
      '-in',
      'ec.key',
      '-passout',
      'pass:secret',
      '-outform',
      'DER',
      '-out',
      'ec-encrypted.der',
    ],
    [
      'rsa',
      '-in',
      'rsa.key',
      '-traditional',
      '-aes256',
      '-passout',
      'pass:secret',
      '-out',
      'rsa-legacy-encrypted.pem',
    ],
  ]
  for (const args of derived) certs.openssl(args)
})
afterAll(() => certs.remove())

const check = (...keys: string[]): Promise<CheckRun> =>
  runCheck(
    [
      '--revocation',
      'off',
      '--profile',
      'private-tls',
      '--trust',
      'root.crt',
      ...keys.flatMap((k) => ['--key', k]),
      'site',
    ],
    dir,
  )

const entryOf = (run: CheckRun, file: string) => {
  const entry = run.report.files.find((f) => f.file === file)
  if (!entry)
    throw new Error(`${file} is not in the report: ${run.report.files.map((f) => f.file).join(', ')}`)
  return entry
}

describe('a key that belongs to a checked leaf passes, whatever its form', () => {
  test.each([
    ['rsa.key', 'PKCS#8 PEM, RSA'],
    ['rsa-pkcs1.pem', 'PKCS#1 PEM (openssl rsa -traditional)'],
    ['rsa-pkcs1.der', 'PKCS#1 DER'],
    ['rsa-pkcs8.der', 'PKCS#8 DER, RSA'],
    ['ec.key', 'PKCS#8 PEM, EC P-256'],
    ['ec-sec1.pem', 'SEC1 PEM (openssl ec)'],
    ['ec-sec1.der', 'SEC1 DER'],
    ['ed.key', 'PKCS#8 PEM, Ed25519'],
    ['ed-pkcs8.der', 'PKCS#8 DER, Ed25519'],
  ])('%s (%s)', async (key) => {
    const run = await check(key)
    expect(entryOf(run, key)).toMatchObject({ kind: 'private-key', findings: [], failed: false })
    expect(run.report.summary.reasons).toEqual([])
    expect(run.code).toBe(0)
  })
})

test('a key of a leaf that is not checked is key-mismatch on the key file, and fails the gate', async () => {
  const run = await check('elsewhere.key', 'rsa.key')
  expect(entryOf(run, 'elsewhere.key')).toMatchObject({
    kind: 'private-key',
    failed: true,
    findings: [
      {
        rule: 'key-mismatch',
        severity: 'error',
        line: 1,
        message: expect.stringMatching(
          /^the EC private key \(public key SHA-256 [0-9a-f]{64}\) belongs to none of the 3 checked leaf certificates/,
        ),
      },
    ],
  })
  expect(entryOf(run, 'rsa.key').findings).toEqual([])
  expect(run.report.result).toBe('fail')
  expect(run.code).toBe(1)
})

test('a CA key named with --key is a mismatch that says whose key it is', async () => {
  const run = await check('root.key')
  expect(entryOf(run, 'root.key').findings).toEqual([
    expect.objectContaining({
      rule: 'key-mismatch',
      message: expect.stringContaining('belongs to the CA certificate CN=Keys Test Root'),
    }),
  ])
})

test.each([
  ['rsa-encrypted.pem', 'ENCRYPTED PRIVATE KEY (PKCS#8)', 'PEM block at line 1 (ENCRYPTED PRIVATE KEY)'],
  ['rsa-legacy-encrypted.pem', 'Proc-Type: 4,ENCRYPTED (legacy)', 'PEM block at line 1 (RSA PRIVATE KEY)'],
  ['ec-encrypted.der', 'EncryptedPrivateKeyInfo DER', 'the file'],
])('an encrypted key, %s (%s), is key-encrypted: reported, never decrypted', async (key, _form, where) => {
  const run = await check(key)
  expect(entryOf(run, key)).toMatchObject({
    failed: false,
    findings: [
      {
        rule: 'key-encrypted',
        severity: 'warning',
        line: 1,
        message: expect.stringMatching(
          new RegExp(
            `^${where.replace(/[()#]/g, '\\$&')} holds an encrypted private key: it cannot be matched`,
          ),
        ),
      },
    ],
  })
})

test('a file that holds no private key is a parse-error on it; a missing one a usage error', async () => {
  const run = await check('rsa.crt')
  expect(entryOf(run, 'rsa.crt').findings).toEqual([
    expect.objectContaining({
      rule: 'parse-error',
      message: 'no private key found (PEM blocks: CERTIFICATE)',
    }),
  ])
  writeFileSync(join(dir, 'noise.bin'), Buffer.from('not a key at all'))
  expect((await check('noise.bin')).report.files.find((f) => f.file === 'noise.bin')?.findings).toEqual([
    expect.objectContaining({
      rule: 'parse-error',
      message: 'not a private key: neither PEM nor DER PKCS#8, PKCS#1 (RSA) or SEC1 (EC)',
    }),
  ])
  // A key block whose content is damaged: a finding on its line, not a crash.
  writeFileSync(
    join(dir, 'damaged.pem'),
    `notes\n-----BEGIN PRIVATE KEY-----\n${Buffer.from('garbage'.repeat(20)).toString('base64')}\n-----END PRIVATE KEY-----\n`,
  )
  expect(entryOf(await check('damaged.pem'), 'damaged.pem').findings).toEqual([
    expect.objectContaining({
      rule: 'parse-error',
      line: 2,
      message: expect.stringMatching(
        /^PEM block at line 2 \(PRIVATE KEY\): not a private key Node's crypto can read \(.+\)$/,
      ),
    }),
  ])
  await expect(check('absent.key')).rejects.toThrow(/--key: absent\.key matches no file/)
  mkdirSync(join(dir, 'private'))
  copyFileSync(join(dir, 'rsa.key'), join(dir, 'private', 'site.key'))
  await expect(check('private')).rejects.toThrow(
    /--key: private matches no file; name each key file or a glob of them/,
  )
  expect(entryOf(await check('private/*.key'), 'private/site.key').findings).toEqual([])
})

test('a combined certificate-and-key file that is also scanned stays one entry: private-key-in-file, no mismatch', async () => {
  writeFileSync(
    join(dir, 'site', 'combined.pem'),
    readFileSync(certs.path('rsa'), 'latin1') + readFileSync(join(dir, 'rsa.key'), 'latin1'),
  )
  try {
    const run = await check('site/combined.pem')
    const entries = run.report.files.filter((f) => f.file === 'site/combined.pem')
    expect(entries).toHaveLength(1)
    expect(entries[0].findings.map((f) => f.rule)).toEqual(['private-key-in-file'])
  } finally {
    rmSync(join(dir, 'site', 'combined.pem'))
  }
})

test('key material appears in no output format: text, JSON, SARIF', async () => {
  // The base64 of every PEM key (each line and the whole body) and the hex of every key's DER.
  const pemKeys = ['rsa.key', 'elsewhere.key', 'rsa-pkcs1.pem', 'ec-sec1.pem', 'rsa-encrypted.pem']
  const derKeys = ['rsa-pkcs1.der', 'ec-sec1.der', 'ed-pkcs8.der', 'ec-encrypted.der']
  const secrets: string[] = []
  for (const file of pemKeys) {
    const lines = readFileSync(join(dir, file), 'latin1')
      .split('\n')
      .filter((l) => /^[A-Za-z0-9+/=]{16,}$/.test(l))
    secrets.push(...lines, lines.join(''))
    secrets.push(Buffer.from(lines.join(''), 'base64').toString('hex'))
  }
  for (const file of derKeys) {
    const der = readFileSync(join(dir, file))
    secrets.push(der.toString('hex'), der.toString('base64'))
  }
  for (const format of ['text', 'json', 'sarif']) {
    let out = ''
    const sink = { write: (s: string) => ((out += s), true) } as unknown as NodeJS.WritableStream
    const code = await runCli(
      [
        'check',
        '--format',
        format,
        '--revocation',
        'off',
        '--trust',
        'root.crt',
        ...[...pemKeys, ...derKeys].flatMap((k) => ['--key', k]),
        'site',
      ],
      { stdout: sink, stderr: sink, cwd: dir },
    )
    expect(code).toBe(1)
    expect(out).toContain('key-mismatch')
    for (const secret of secrets) {
      expect(out).not.toContain(secret)
      expect(out.toLowerCase()).not.toContain(secret.toLowerCase())
    }
  }
})

test('the action reads input "keys" as newline- or comma-separated paths (main.ts, in-process)', async () => {
  const inputs: Record<string, string> = {
    files: 'site',
    keys: 'rsa.key, elsewhere.key\nec-sec1.der',
    trust: 'root.crt',
    revocation: 'off',
    profile: 'private-tls',
  }
  const saved = { ...process.env }
  const exitCode = process.exitCode
  let stdout = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk)
    return true
  })
  try {
    writeFileSync(join(dir, 'github-output'), '')
    writeFileSync(join(dir, 'step-summary'), '')
    Object.assign(process.env, {
      GITHUB_WORKSPACE: dir,
      GITHUB_OUTPUT: join(dir, 'github-output'),
      GITHUB_STEP_SUMMARY: join(dir, 'step-summary'),
      GITHUB_EVENT_NAME: 'push',
      ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    })
    const { run } = await import('../../src/main.js')
    await run()
  } finally {
    write.mockRestore()
    process.env = saved
    process.exitCode = exitCode
  }
  expect(stdout).toMatch(
    /^::error title=certgate key-mismatch,file=elsewhere\.key,line=1::the EC private key/m,
  )
  expect(stdout).not.toMatch(/file=rsa\.key|file=ec-sec1\.der/)
  expect(stdout).toMatch(/^::error::certgate: gate failed on /m)
  // Nor do the annotations and the job summary carry key material.
  const summary = readFileSync(join(dir, 'step-summary'), 'utf8')
  expect(summary).toContain('key-mismatch')
  for (const key of ['rsa.key', 'elsewhere.key']) {
    const base64 = readFileSync(join(dir, key), 'latin1').replace(/-----[^-]+-----|\s/g, '')
    for (const text of [stdout, summary]) {
      expect(text).not.toContain(base64.slice(100, 164))
      expect(text).not.toContain(Buffer.from(base64, 'base64').toString('hex').slice(100, 164))
    }
  }
})
