// --server-config through the CLI, without starting a server: the chain
// Apache sends from two files judged as one, and configurations naming files
// that are missing or hold no certificate or key reported on their lines,
// with every other file still checked.
import 'reflect-metadata'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { runCheck } from '../helpers/run-check.js'

let pki: OpensslPki
let site: string
beforeAll(() => {
  pki = createOpensslPki(9)
  site = join(pki.dir, 'site')
  mkdirSync(site)
  for (const file of ['leaf-good.crt', 'leaf-good.key', 'leaf-revoked.crt', 'intermediate.crt', 'root.crt'])
    copyFileSync(pki.path(file), join(site, file))
  // A CA on no path of the leaf: what a chain file left over from a CA change holds.
  pki.openssl([
    ...['req', '-x509', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', 'other-ca.key', '-out', 'site/other-ca.crt', '-days', '30', '-subj', '/CN=Other CA'],
    ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
  ])
})

const check = (config: string) =>
  runCheck(['--server-config', `site/${config}`, '--trust', 'site/root.crt', '--revocation', 'off'], pki.dir)

const apache = (chainFile: string) => `<VirtualHost *:443>
  SSLEngine on
  SSLCertificateFile leaf-good.crt
  SSLCertificateKeyFile leaf-good.key
  SSLCertificateChainFile ${chainFile}
  SSLUseStapling on
</VirtualHost>
SSLStaplingCache shmcb:/run/apache2/stapling(32768)
`

test('Apache: SSLCertificateFile then SSLCertificateChainFile with the intermediate is a complete served chain', async () => {
  writeFileSync(join(site, 'good.conf'), apache('intermediate.crt'))
  const { report } = await check('good.conf')
  expect(report.files.find((f) => f.file === 'site/good.conf')).toMatchObject({
    kind: 'server-config',
    findings: [],
  })
  const leaf = report.certificates.find((c) => c.file === 'site/leaf-good.crt')!
  expect(leaf).toMatchObject({ role: 'leaf', chainStatus: 'valid' })
})

test('Apache: a chain file holding another CA is unrelated, and the chain sent is incomplete, on its line', async () => {
  writeFileSync(join(site, 'wrong-chain.conf'), apache('other-ca.crt'))
  // The intermediate is in the scan (another file), so the path closes there but not from what Apache sends.
  const { report, code } = await runCheck(
    [
      '--server-config',
      'site/wrong-chain.conf',
      'site/intermediate.crt',
      '--trust',
      'site/root.crt',
      '--revocation',
      'off',
    ],
    pki.dir,
  )
  const findings = report.files.find((f) => f.file === 'site/wrong-chain.conf')!.findings
  expect(findings.map((f) => [f.rule, f.line])).toEqual([
    ['chain-unrelated', 5],
    ['chain-incomplete', 5],
    // Neither file holds the issuer, and there is no SSLCACertificateFile: mod_ssl cannot verify a response.
    ['stapling-verify-no-trust', 6],
  ])
  expect(findings[0].message).toMatch(
    /^sent as SSLCertificateFile leaf-good\.crt then SSLCertificateChainFile other-ca\.crt: certificate 1 \(CN=Other CA\)/,
  )
  expect(code).toBe(1)
})

test('missing files, a file without a certificate and a key file without a key are findings on their lines', async () => {
  writeFileSync(join(site, 'not-a-cert.pem'), 'hello\n')
  writeFileSync(
    join(site, 'broken.conf'),
    `http {
  server {
    server_name missing;
    ssl_certificate missing.pem;
    ssl_certificate_key missing.key;
  }
  server {
    server_name empty;
    ssl_certificate not-a-cert.pem;
    ssl_certificate_key leaf-good.key;
  }
  server {
    server_name no-key;
    ssl_certificate leaf-good.crt;
    ssl_certificate_key leaf-good.crt;
    ssl_trusted_certificate gone.pem;
  }
`,
  )
  const { report, code } = await check('broken.conf')
  const findings = report.files.find((f) => f.file === 'site/broken.conf')!.findings
  expect(findings.map((f) => [f.rule, f.line, f.message])).toEqual([
    ['parse-error', 1, '"http {" is never closed (unbalanced braces)'],
    ['parse-error', 4, expect.stringMatching(/^ssl_certificate missing\.pem: no such file/)],
    ['parse-error', 16, expect.stringMatching(/^ssl_trusted_certificate gone\.pem: no such file/)],
    ['parse-error', 9, 'not-a-cert.pem holds no certificate the server could send'],
    ['server-key-mismatch', 15, expect.stringContaining('no PEM private key in the file')],
    // The leaf is Must-Staple and nginx staples only when told to.
    [
      'must-staple-stapling-off',
      12,
      expect.stringContaining('ssl_stapling is not set (off by default) for no-key'),
    ],
  ])
  // The files that exist are still checked as given on the command line.
  expect(report.files.find((f) => f.file === 'site/not-a-cert.pem')?.findings.map((f) => f.rule)).toEqual([
    'parse-error',
  ])
  expect(report.certificates.map((c) => c.file)).toContain('site/leaf-good.crt')
  expect(code).toBe(1)
})

test('a --server-config or --server-root that does not exist is a usage error', async () => {
  await expect(check('nowhere.conf')).rejects.toThrow(/--server-config: no such file: site\/nowhere\.conf/)
  writeFileSync(join(site, 'good.conf'), apache('intermediate.crt'))
  await expect(
    runCheck(['--server-config', 'site/good.conf', '--server-root', 'site/nowhere'], pki.dir),
  ).rejects.toThrow(/--server-root: no such directory: site\/nowhere/)
})

test('sharded, the configuration is reported by the one shard whose scope holds it', async () => {
  writeFileSync(
    join(site, 'off.conf'),
    apache('intermediate.crt').replace('SSLUseStapling on', 'SSLUseStapling off'),
  )
  const shards = await Promise.all(
    ['1/2', '2/2'].map((shard) =>
      runCheck(
        [
          '--server-config',
          'site/off.conf',
          '--trust',
          'site/root.crt',
          '--revocation',
          'off',
          '--shard',
          shard,
        ],
        pki.dir,
      ),
    ),
  )
  const entries = shards.flatMap((s) => s.report.files.filter((f) => f.file === 'site/off.conf'))
  expect(entries.map((f) => f.findings.map((x) => x.rule))).toEqual([['must-staple-stapling-off']])
})

test('a key under /proc or an include that leads there is refused, not read (a read there can block for ever)', async () => {
  writeFileSync(
    join(site, 'proc.conf'),
    'http {\n  server {\n    ssl_certificate leaf-good.crt;\n    ssl_certificate_key /proc/kmsg;\n    ssl_stapling on;\n  }\n}\n',
  )
  const { report } = await check('proc.conf')
  const findings = report.files.find((f) => f.file === 'site/proc.conf')!.findings
  expect(findings.map((f) => [f.rule, f.line, f.message])).toContainEqual([
    'server-key-mismatch',
    4,
    expect.stringContaining('not read: it resolves to /proc/kmsg: nothing under /proc is read'),
  ])
})
