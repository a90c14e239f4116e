// Expected names through the shells: `--expect-name` for every leaf and the
// config's `expect: [{path, names}]` for the leaves of matching files.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'
import { runCheck, type CheckRun } from '../helpers/run-check.js'

const certs = new OpensslCerts()
const dir = certs.dir

beforeAll(() => {
  certs.make('root', { subject: '/CN=Expect Test Root', extensions: EXTENSIONS.root })
  for (const [name, san] of [
    ['web', 'DNS:www.expect.test, DNS:expect.test'],
    ['api', 'DNS:*.api.expect.test'],
  ])
    certs.make(name, {
      subject: `/CN=${name}.expect.test`,
      issuer: 'root',
      extensions: `${EXTENSIONS.leaf('unused.test').replace(/subjectAltName = .*/, `subjectAltName = ${san}`)}\ncrlDistributionPoints = URI:http://crl.expect.test/root.crl`,
    })
  for (const name of ['web', 'api']) {
    mkdirSync(join(dir, name))
    copyFileSync(certs.path(name), join(dir, name, 'cert.pem'))
  }
})
afterAll(() => certs.remove())

const check = (args: string[] = [], config?: string): Promise<CheckRun> => {
  writeFileSync(join(dir, 'expect.yml'), config ?? '')
  return runCheck(
    [
      '--revocation',
      'off',
      '--profile',
      'private-tls',
      '--trust',
      'root.crt',
      '--config',
      'expect.yml',
      ...args,
      'web',
      'api',
    ],
    dir,
  )
}
const notCovered = (run: CheckRun) =>
  run.report.certificates.flatMap((c) =>
    c.findings
      .filter((f) => f.rule === 'name-not-covered')
      .map((f) => `${c.file}: ${f.message.split(':')[0]}`),
  )

test('config expect: each file glob gets its own names; covered names pass', async () => {
  const run = await check(
    [],
    'expect:\n  - path: web/*.pem\n    names: [www.expect.test, expect.test]\n  - path: api/**\n    names: [v1.api.expect.test]\n',
  )
  expect(notCovered(run)).toEqual([])
  expect(run.code).toBe(0)
})

test('config expect: a name the leaf does not cover fails on that file only, and is named', async () => {
  const run = await check(
    [],
    'expect:\n  - path: web/*.pem\n    names: [www.expect.test, shop.expect.test]\n  - path: api/**\n    names: [api.expect.test]\n',
  )
  // Reports list files by path. The wildcard covers one label below api.expect.test, not the name itself.
  expect(notCovered(run)).toEqual([
    'api/cert.pem: the leaf does not cover api.expect.test',
    'web/cert.pem: the leaf does not cover shop.expect.test',
  ])
  expect(run.code).toBe(1)
})

test('--expect-name applies to every leaf', async () => {
  const run = await check(['--expect-name', 'www.expect.test'])
  expect(notCovered(run)).toEqual(['api/cert.pem: the leaf does not cover www.expect.test'])
  expect(run.code).toBe(1)
})

test('a malformed expect entry is a usage error naming the entry', async () => {
  await expect(check([], 'expect:\n  - path: web/*.pem\n    name: [www.expect.test]\n')).rejects.toThrow(
    /expect\.yml: expect\[0\]: unknown key "name"; did you mean names\? \(path, names\)/,
  )
  await expect(check([], 'expect:\n  - names: [www.expect.test]\n')).rejects.toThrow(
    /expect\.yml: expect\[0\]: "path" must be a glob/,
  )
  await expect(check([], 'expects: []\n')).rejects.toThrow(/unknown key "expects"; did you mean expect\?/)
})
