// What certgate predicts from an nginx configuration is what nginx does. One
// nginx, started from a configuration this test writes, serves the same
// Must-Staple leaf five ways; staples come from a real `openssl ocsp`
// responder on 127.0.0.1, names from a test DNS server on 127.0.0.1 when a
// block has a `resolver` (`ocsp.test` is a name no system resolver knows), and
// `openssl s_client -status` shows whether nginx staples. certgate, given the
// same configuration, flags exactly the blocks without a resolver for a named
// responder, each on its ssl_stapling line.
import 'reflect-metadata'
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { startDnsServer, type DnsServer } from '../helpers/dns-server.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { freePort, stopProcess, type ServerProcess } from '../helpers/processes.js'
import { runCheck, type CheckRun } from '../helpers/run-check.js'
import { stapled, staplesAfterPriming, startNginx } from '../helpers/web-servers.js'

const servers: ServerProcess[] = []
let dns: DnsServer
let pki: OpensslPki
let site: string
let config: string
const ports = { unresolved: 0, startupOnly: 0, withResolver: 0, ipResponder: 0, stapleFile: 0, noIssuer: 0 }
let run: CheckRun

/** 1-based line of the first line holding `text` inside the server block named `block`. */
function lineOf(text: string, block: string): number {
  const lines = config.split('\n')
  const start = lines.findIndex((l) => l.includes(`server_name ${block};`))
  return lines.findIndex((l, i) => i > start && l.includes(text)) + 1
}

/** nginx's log: what it wrote while reading the configuration goes to stderr, the rest to error.log. */
const errorLog = () => nginx.output() + readFileSync(join(site, 'error.log'), 'utf8')
let nginx: ServerProcess

beforeAll(async () => {
  pki = createOpensslPki(await freePort())
  servers.push(await pki.startResponder('delegated'))
  dns = await startDnsServer({ localhost: '127.0.0.1' }, await freePort())
  site = join(pki.dir, 'site')
  mkdirSync(site)
  writeFileSync(
    join(site, 'served.pem'),
    readFileSync(pki.path('leaf-good.crt'), 'utf8') + readFileSync(pki.path('intermediate.crt'), 'utf8'),
  )
  copyFileSync(pki.path('leaf-good.key'), join(site, 'leaf-good.key'))
  copyFileSync(pki.path('chain.pem'), join(site, 'chain.pem'))
  pki.staple('leaf-good', 'site/leaf-good.ocsp', ['-ndays', 1])
  for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort()
  const named = `ssl_stapling_responder http://ocsp.test:${pki.port}/;`
  copyFileSync(pki.path('leaf-good.crt'), join(site, 'leaf-alone.pem'))
  const server = (port: number, name: string, ...stapling: string[]) => `
  server {
    listen 127.0.0.1:${port} ssl;
    server_name ${name};
    ssl_certificate ${name === 'no-issuer' ? 'leaf-alone.pem' : 'served.pem'};
    ssl_certificate_key leaf-good.key;
    ssl_stapling on;
    ${stapling.join('\n    ')}
    return 200 "ok\\n";
  }`
  // Relative paths: nginx resolves them against the config's folder, certgate against --server-root (the same by default).
  config = `error_log ${site}/error.log info;
events {}
http {
  access_log off;
  client_body_temp_path ${site}/body;
  proxy_temp_path ${site}/proxy;
  fastcgi_temp_path ${site}/fastcgi;
  uwsgi_temp_path ${site}/uwsgi;
  scgi_temp_path ${site}/scgi;
${server(ports.unresolved, 'unresolved', named)}
${server(ports.startupOnly, 'startup-only', `ssl_stapling_responder http://localhost:${pki.port}/;`)}
${server(ports.withResolver, 'with-resolver', `ssl_stapling_responder http://localhost:${pki.port}/;`, `resolver 127.0.0.1:${dns.port} ipv6=off;`)}
${server(ports.ipResponder, 'ip-responder', 'ssl_stapling_verify on;', 'ssl_trusted_certificate chain.pem;')}
${server(ports.stapleFile, 'staple-file', named, 'ssl_stapling_file leaf-good.ocsp;')}
${server(ports.noIssuer, 'no-issuer', `ssl_stapling_responder http://127.0.0.1:${pki.port}/;`)}
}
`
  writeFileSync(join(site, 'nginx.conf'), config)
  nginx = await startNginx(site, join(site, 'nginx.conf'), ports.unresolved)
  servers.push(nginx)
  run = await runCheck(['--server-config', 'site/nginx.conf', '--allow-private-network'], pki.dir)
}, 60_000)

afterAll(async () => {
  for (const server of servers.reverse()) await stopProcess(server)
  await dns?.close()
})

const configEntry = () => run.report.files.find((f) => f.file === 'site/nginx.conf')

test('certgate flags the blocks without a resolver for a named responder, or without the issuer, on their ssl_stapling lines', () => {
  expect(configEntry()).toMatchObject({ kind: 'server-config', failed: true })
  expect(configEntry()!.findings.map((f) => [f.rule, f.severity, f.line])).toEqual([
    // Errors: the leaf is Must-Staple, so a missing staple fails every handshake.
    ['stapling-no-resolver', 'error', lineOf('ssl_stapling on', 'unresolved')],
    ['stapling-no-resolver', 'error', lineOf('ssl_stapling on', 'startup-only')],
    ['stapling-verify-no-trust', 'error', lineOf('ssl_stapling on', 'no-issuer')],
  ])
  expect(configEntry()!.findings[0].message).toContain('nginx resolves ocsp.test only once, at start-up')
})

test('the files the configuration names are checked as if given on the command line', () => {
  const served = run.report.certificates.filter((c) => c.file === 'site/served.pem')
  expect(served.map((c) => c.role)).toEqual(['leaf', 'intermediate'])
  // The responder answered certgate too: the leaf is good, from OCSP or the stored staple.
  expect(served[0].revocation.status).toBe('good')
  expect(run.report.files.map((f) => [f.file, f.kind])).toEqual(
    expect.arrayContaining([
      ['site/served.pem', 'certificates'],
      ['site/chain.pem', 'certificates'],
      ['site/leaf-good.ocsp', 'ocsp-response'],
    ]),
  )
  // The key is paired with the certificate, never loaded as a certificate file.
  expect(run.report.files.map((f) => f.file)).not.toContain('site/leaf-good.key')
})

test('nginx staples with a resolver, from an IP-literal responder and from ssl_stapling_file', async () => {
  expect(await staplesAfterPriming(ports.withResolver)).toBe(true)
  // nginx asked the resolver, not the start-up address, for the responder.
  expect(dns.queries).toContain('localhost')
  expect(await staplesAfterPriming(ports.ipResponder)).toBe(true)
  expect(await staplesAfterPriming(ports.stapleFile)).toBe(true)
})

test('nginx never staples for a named responder without a resolver that did not resolve at start-up', async () => {
  expect(errorLog()).toContain('"ssl_stapling" ignored, host not found in OCSP responder "ocsp.test')
  for (let attempt = 0; attempt < 8; attempt++) expect(await stapled(ports.unresolved)).toBe(false)
})

test('nginx never staples a leaf whose issuer is in neither the chain it sends nor ssl_trusted_certificate', async () => {
  expect(errorLog()).toMatch(
    /"ssl_stapling" ignored, issuer certificate not found for certificate ".*leaf-alone\.pem"/,
  )
  for (let attempt = 0; attempt < 8; attempt++) expect(await stapled(ports.noIssuer)).toBe(false)
})

test('one that resolved at start-up is fetched from that address, with the warning certgate quotes', async () => {
  expect(await staplesAfterPriming(ports.startupOnly)).toBe(true)
  expect(errorLog()).toContain('no resolver defined to resolve localhost while requesting certificate status')
})
