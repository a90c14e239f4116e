// What certgate predicts from an Apache configuration is what Apache httpd
// does: Debian's apache2, started with `-f` on a configuration this test
// writes (its virtual hosts in an Include'd file), staples the Must-Staple
// leaf it fetched from a real `openssl ocsp` responder on 127.0.0.1 where
// certgate finds nothing to say, and serves no staple, or does not start at
// all, where certgate reports an error on the directive.
import 'reflect-metadata'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'
import { runCheck } from '../helpers/run-check.js'
import {
  apachePreamble,
  apacheStartup,
  stapled,
  staplesAfterPriming,
  startApache,
} from '../helpers/web-servers.js'

const servers: ServerProcess[] = []
let pki: OpensslPki
let site = ''

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  servers.push(await pki.startResponder('delegated'))
  site = join(pki.dir, 'site')
  mkdirSync(join(site, 'sites'), { recursive: true })
  for (const file of ['leaf-good.crt', 'leaf-good.key', 'leaf-revoked.key', 'intermediate.crt', 'chain.pem'])
    copyFileSync(pki.path(file), join(site, file))
  // A leaf from a CA that publishes CRLs only: no OCSP URL in its Authority Information Access.
  writeFileSync(
    join(pki.dir, 'crl-only.ext'),
    'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\n' +
      'subjectAltName = DNS:localhost\ncrlDistributionPoints = URI:http://127.0.0.1:9/intermediate.crl\n',
  )
  pki.openssl([
    ...['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'],
    ...['-keyout', 'site/crl-only.key', '-out', 'crl-only.csr', '-subj', '/CN=crl-only.test'],
  ])
  pki.openssl([
    ...['x509', '-req', '-in', 'crl-only.csr', '-CA', 'intermediate.crt', '-CAkey', 'intermediate.key'],
    ...['-set_serial', '0x5151', '-days', '30', '-extfile', 'crl-only.ext', '-out', 'site/crl-only.crt'],
  ])
}, 60_000)

afterAll(async () => {
  for (const server of servers.reverse()) await stopProcess(server)
})

interface Written {
  config: string
  log: string
  /** 1-based line of the first line holding `text` in the virtual hosts file after the line holding `after`. */
  line: (text: string, after?: string) => number
}

/** httpd.conf (global settings) including sites/NAME.conf (the virtual hosts). */
function writeApache(name: string, port: number, global: string, hosts: string): Written {
  const config = join(site, `${name}.conf`)
  writeFileSync(join(site, 'sites', `${name}.conf`), hosts)
  writeFileSync(config, `${apachePreamble(site, port, name)}${global}\nInclude sites/${name}.conf\n`)
  const lines = hosts.split('\n')
  return {
    config,
    log: join(site, `${name}.log`),
    line: (text, after = '') => {
      const start = lines.findIndex((l) => l.includes(after))
      return lines.findIndex((l, i) => i >= start && l.includes(text)) + 1
    },
  }
}

const vhost = (port: number, ...directives: string[]) => `<VirtualHost 127.0.0.1:${port}>
  ServerName localhost
  SSLEngine on
  SSLCertificateFile leaf-good.crt
  SSLCertificateChainFile intermediate.crt
  SSLCACertificateFile chain.pem
  ${directives.join('\n  ')}
</VirtualHost>
`

test('stapling on with a cache: certgate is silent and Apache staples; stapling off: certgate and Apache agree there is none', async () => {
  const [stapling, off] = [await freePort(), await freePort()]
  const written = writeApache(
    'good',
    stapling,
    `Listen 127.0.0.1:${off}\nSSLStaplingCache shmcb:${site}/stapling(65536)`,
    vhost(stapling, 'SSLCertificateKeyFile leaf-good.key', 'SSLUseStapling on') +
      vhost(off, 'SSLCertificateKeyFile leaf-good.key', 'SSLUseStapling off'),
  )
  const run = await runCheck(['--server-config', 'site/good.conf', '--allow-private-network'], pki.dir)
  expect(run.report.files.find((f) => f.file === 'site/good.conf')).toMatchObject({ findings: [] })
  const hosts = run.report.files.find((f) => f.file === 'site/sites/good.conf')!
  // The leaf is Must-Staple: stapling off is an error, on the second host's SSLUseStapling line.
  expect(hosts.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
    ['must-staple-stapling-off', 'error', written.line('SSLUseStapling off')],
  ])
  // SSLCertificateFile + SSLCertificateChainFile are checked; the leaf's revocation was judged from the responder.
  const leaf = run.report.certificates.find((c) => c.file === 'site/leaf-good.crt')!
  expect(leaf.revocation.status).toBe('good')
  expect(run.report.files.map((f) => f.file)).toEqual(
    expect.arrayContaining(['site/intermediate.crt', 'site/chain.pem']),
  )

  const apache = await startApache(site, written.config, stapling)
  servers.push(apache)
  expect(await staplesAfterPriming(stapling)).toBe(true)
  for (let attempt = 0; attempt < 4; attempt++) expect(await stapled(off)).toBe(false)
  await stopProcess(apache)
}, 60_000)

test('stapling on for a leaf without an OCSP URL: stapling-no-ocsp-url, and Apache staples nothing', async () => {
  const port = await freePort()
  const written = writeApache(
    'crl-only',
    port,
    `SSLStaplingCache shmcb:${site}/stapling-crl(65536)`,
    vhost(port, 'SSLCertificateKeyFile crl-only.key', 'SSLUseStapling on').replace(
      'leaf-good.crt',
      'crl-only.crt',
    ),
  )
  const run = await runCheck(['--server-config', 'site/crl-only.conf', '--revocation', 'off'], pki.dir)
  const hosts = run.report.files.find((f) => f.file === 'site/sites/crl-only.conf')!
  expect(hosts.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
    ['stapling-no-ocsp-url', 'warning', written.line('SSLUseStapling on')],
  ])
  const apache = await startApache(site, written.config, port)
  servers.push(apache)
  for (let attempt = 0; attempt < 8; attempt++) expect(await stapled(port)).toBe(false)
  await stopProcess(apache)
  expect(readFileSync(written.log, 'utf8')).toContain(
    'AH02218: ssl_stapling_init_cert: no OCSP URI in certificate and no SSLStaplingForceURL set',
  )
}, 60_000)

test('SSLUseStapling on without SSLStaplingCache: stapling-no-cache, and Apache refuses to start', async () => {
  const port = await freePort()
  const written = writeApache(
    'no-cache',
    port,
    '',
    vhost(port, 'SSLCertificateKeyFile leaf-good.key', 'SSLUseStapling on'),
  )
  const run = await runCheck(['--server-config', 'site/no-cache.conf', '--revocation', 'off'], pki.dir)
  const hosts = run.report.files.find((f) => f.file === 'site/sites/no-cache.conf')!
  expect(hosts.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
    ['stapling-no-cache', 'error', written.line('SSLUseStapling on')],
  ])
  expect(run.code).toBe(1)
  expect(await apacheStartup(written.config, written.log)).toEqual({
    started: false,
    log: expect.stringContaining('SSLStapling: no stapling cache available'),
  })
}, 60_000)

test("a key that is not the certificate's: server-key-mismatch on the key line, and Apache refuses to start", async () => {
  const port = await freePort()
  const written = writeApache(
    'wrong-key',
    port,
    `SSLStaplingCache shmcb:${site}/stapling-wrong(65536)`,
    vhost(port, 'SSLCertificateKeyFile leaf-revoked.key', 'SSLUseStapling on'),
  )
  const run = await runCheck(['--server-config', 'site/wrong-key.conf', '--revocation', 'off'], pki.dir)
  const hosts = run.report.files.find((f) => f.file === 'site/sites/wrong-key.conf')!
  expect(hosts.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
    ['server-key-mismatch', 'error', written.line('SSLCertificateKeyFile')],
  ])
  // Key material is never printed.
  const keyText = pki.openssl(['pkey', '-in', 'leaf-revoked.key']).split('\n')[1]
  expect(JSON.stringify(run.report)).not.toContain(keyText)
  expect(await apacheStartup(written.config, written.log)).toEqual({
    started: false,
    log: expect.stringMatching(/AH02565: Certificate and private key .* do not match/),
  })
}, 60_000)
