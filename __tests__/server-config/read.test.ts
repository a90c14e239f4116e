// Reading nginx and Apache configurations into server blocks: directives with
// their file and line, includes (globs, loops, the server root), inheritance,
// and every malformed input a finding on its line rather than a crash.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { detectServer } from '../../src/server-config/detect.js'
import { readServerConfig } from '../../src/server-config/index.js'
import { tempDir } from '../helpers/pki.js'

let dir: string
beforeEach(() => {
  dir = tempDir('certgate-server-config-')
})

function write(files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true })
    writeFileSync(join(dir, name), text)
  }
}

const read = (file: string, root?: string) =>
  readServerConfig(join(dir, file), { cwd: dir, ...(root ? { root: join(dir, root) } : {}) })
const problems = (config: ReturnType<typeof read>) =>
  config.findings.map((f) => [f.file, f.finding.line, f.finding.message])

describe('detection by content', () => {
  test.each([
    ['server {\n  listen 443 ssl;\n  ssl_certificate a.pem;\n}\n', 'nginx'],
    ['<VirtualHost *:443>\n  SSLEngine on\n  SSLCertificateFile a.pem\n</VirtualHost>\n', 'apache'],
    ['hello world\n', undefined],
  ])('%j is %s', (text, software) => {
    expect(detectServer(text)).toBe(software)
  })

  test('a file that is neither is a finding on it, not a crash', () => {
    write({ 'site.conf': 'hello world\n' })
    const config = read('site.conf')
    expect(config.blocks).toEqual([])
    expect(problems(config)).toEqual([
      ['site.conf', undefined, expect.stringContaining('neither an nginx nor an Apache')],
    ])
  })
})

describe('nginx', () => {
  test('server blocks with their files, lines and what they inherit from http {}', () => {
    write({
      'nginx.conf': `events {}
http {
  ssl_stapling on;
  resolver 127.0.0.53;
  server {
    listen 443 ssl;
    server_name "www.example.test";
    ssl_certificate certs/rsa.pem;
    ssl_certificate_key keys/rsa.key;
    ssl_certificate 'certs/ec dsa.pem';
    ssl_certificate_key keys/ec.key; # the second pair
    ssl_stapling_verify on;
  }
  server {
    listen 80;
  }
}
`,
    })
    const config = read('nginx.conf')
    expect(config.software).toBe('nginx')
    expect(problems(config)).toEqual([])
    expect(config.blocks).toHaveLength(1)
    const [block] = config.blocks
    expect(block).toMatchObject({
      software: 'nginx',
      name: 'www.example.test',
      at: { file: 'nginx.conf', line: 5 },
      stapling: { value: true, file: 'nginx.conf', line: 3 },
      resolver: { value: '127.0.0.53', line: 4 },
      staplingVerify: { value: true, line: 12 },
    })
    expect(
      block.pairs.map((p) => [p.certificate.value, p.certificate.line, p.key?.value, p.key?.line]),
    ).toEqual([
      ['certs/rsa.pem', 8, 'keys/rsa.key', 9],
      ['certs/ec dsa.pem', 10, 'keys/ec.key', 11],
    ])
    expect(block.pairs[0].certificate.path).toBe(join(dir, 'certs/rsa.pem'))
  })

  test('includes: globs in order, each directive with the file it is in', () => {
    write({
      'nginx.conf': 'http {\n  include sites/*.conf;\n}\n',
      'sites/b.conf':
        'server {\n  server_name b;\n  ssl_certificate b.pem;\n  ssl_certificate_key b.key;\n}\n',
      'sites/a.conf':
        'server {\n  server_name a;\n  ssl_certificate a.pem;\n  ssl_certificate_key a.key;\n}\n',
      'sites/none.txt': 'not matched\n',
    })
    const config = read('nginx.conf')
    expect(problems(config)).toEqual([])
    expect(config.files).toEqual(['nginx.conf', 'sites/a.conf', 'sites/b.conf'])
    expect(
      config.blocks.map((b) => [b.name, b.at.file, b.pairs[0].certificate.file, b.pairs[0].certificate.line]),
    ).toEqual([
      ['a', 'sites/a.conf', 'sites/a.conf', 3],
      ['b', 'sites/b.conf', 'sites/b.conf', 3],
    ])
  })

  test('an include outside the server root is not followed, unless the root is widened', () => {
    write({
      'etc/nginx/nginx.conf':
        'http {\n  include ../shared/tls.conf;\n  server { ssl_certificate a.pem; ssl_certificate_key a.key; }\n}\n',
      'etc/shared/tls.conf': 'ssl_stapling on;\n',
    })
    const confined = read('etc/nginx/nginx.conf')
    expect(problems(confined)).toEqual([
      [
        'etc/nginx/nginx.conf',
        2,
        expect.stringContaining('include ../shared/tls.conf is outside the server root'),
      ],
    ])
    expect(confined.blocks[0].stapling).toBeUndefined()
    const widened = read('etc/nginx/nginx.conf', 'etc')
    // With --server-root etc, the include resolves against it: ../shared is outside that root too.
    expect(problems(widened)).toHaveLength(1)
    write({
      'etc/nginx2.conf':
        'http {\n  include shared/tls.conf;\n  server { ssl_certificate a.pem; ssl_certificate_key a.key; }\n}\n',
    })
    const fromRoot = read('etc/nginx2.conf')
    expect(problems(fromRoot)).toEqual([])
    expect(fromRoot.blocks[0].stapling).toMatchObject({ value: true, file: 'etc/shared/tls.conf', line: 1 })
  })

  test('an include through a symlink that leaves the root is not followed', () => {
    write({
      'outside/secret.conf': 'ssl_stapling on;\n',
      'site/nginx.conf': 'http {\n  include link.conf;\n}\n',
    })
    symlinkSync(join(dir, 'outside/secret.conf'), join(dir, 'site/link.conf'))
    expect(problems(read('site/nginx.conf'))).toEqual([
      ['site/nginx.conf', 2, expect.stringContaining('resolves outside the server root')],
    ])
  })

  test('an include loop is a finding on the include that closes it', () => {
    write({
      'nginx.conf': 'http {\n  include a.conf;\n}\n',
      'a.conf': '\ninclude b.conf;\n',
      'b.conf': 'include a.conf;\n',
    })
    expect(problems(read('nginx.conf'))).toEqual([
      ['b.conf', 1, expect.stringContaining('include loop: a.conf')],
    ])
  })

  test('a missing include is a finding; a glob that matches nothing is not (nginx accepts it)', () => {
    write({ 'nginx.conf': 'http {\n  include missing.conf;\n  include conf.d/*.conf;\n}\n' })
    expect(problems(read('nginx.conf'))).toEqual([['nginx.conf', 2, 'include missing.conf: no such file']])
  })

  test.each([
    ['http {\n  server {\n    listen 443;\n}\n', 1, '"http {" is never closed (unbalanced braces)'],
    ['http {\n}\n}\n', 3, 'unexpected "}" (unbalanced braces)'],
    ['http {\n  ssl_certificate "a.pem;\n}\n', 2, 'unclosed quote ("): the rest of the file is one string'],
    [
      'http {\n  server {\n    ssl_certificate a.pem\n  }\n}\n',
      3,
      'directive "ssl_certificate" is not terminated by ";"',
    ],
    ['http {\n  ssl_stapling maybe;\n}\n', 2, 'ssl_stapling takes on or off, not "maybe"'],
  ])('malformed: %j is a finding on line %i', (text, line, message) => {
    write({ 'nginx.conf': text })
    const config = read('nginx.conf')
    expect(problems(config)).toContainEqual(['nginx.conf', line, message])
  })

  test('a certificate chosen at run time (variables) is named, not checked', () => {
    write({
      'nginx.conf':
        'http {\n  server {\n    ssl_certificate certs/$ssl_server_name.pem;\n    ssl_certificate_key certs/$ssl_server_name.key;\n  }\n}\n',
    })
    const config = read('nginx.conf')
    expect(config.blocks[0].pairs).toEqual([])
    expect(problems(config)[0]).toEqual(['nginx.conf', 3, expect.stringContaining('chosen at run time')])
  })
})

describe('whatever the bytes, a finding and never a crash', () => {
  test.each([
    ['nginx.conf', 'http {\n' + 'a {'.repeat(200_000)],
    ['httpd.conf', 'SSLEngine on\n' + '<IfModule x>\n'.repeat(200_000)],
    ['nginx.conf', 'ssl_certificate ' + '\u0000\uffff"\\'.repeat(10_000) + ';'],
    ['site.conf', Buffer.from(Array.from({ length: 65536 }, (_, i) => (i * 7919) % 256)).toString('latin1')],
  ])('%s with %#', (name, text) => {
    write({ [name]: text })
    const config = read(name)
    expect(Array.isArray(config.blocks)).toBe(true)
    if (name !== 'site.conf') expect(config.findings.length).toBeGreaterThan(0)
  })
})

describe('Apache', () => {
  test('virtual hosts with what they inherit from the main server; the key defaults to the certificate file', () => {
    write({
      'httpd.conf': `ServerRoot /srv
SSLStaplingCache shmcb:/run/stapling(32768)
SSLCACertificateFile ca.pem
<IfModule mod_ssl.c>
  SSLUseStapling on
</IfModule>
<VirtualHost *:443>
  ServerName a.example.test
  sslengine on
  SSLCertificateFile a.pem
  SSLCertificateKeyFile \\
      a.key
  SSLCertificateChainFile "chain with space.pem"
</VirtualHost>
<VirtualHost *:8443>
  SSLEngine on
  SSLCertificateFile combined.pem
  SSLUseStapling off
</VirtualHost>
<VirtualHost *:80>
  ServerName plain.example.test
</VirtualHost>
`,
    })
    const config = read('httpd.conf')
    expect(config.software).toBe('apache')
    expect(problems(config)).toEqual([])
    expect(config.blocks.map((b) => b.name)).toEqual(['a.example.test', '*:8443'])
    const [a, combined] = config.blocks
    expect(a).toMatchObject({
      at: { file: 'httpd.conf', line: 7 },
      stapling: { value: true, line: 5 },
      staplingCache: { value: 'shmcb:/run/stapling(32768)', line: 2 },
      trusted: { value: 'ca.pem', line: 3 },
      chain: { value: 'chain with space.pem', line: 13 },
    })
    expect(a.pairs.map((p) => [p.certificate.value, p.key?.value, p.key?.line])).toEqual([
      ['a.pem', 'a.key', 11],
    ])
    expect(combined.stapling).toMatchObject({ value: false, line: 18 })
    expect(combined.pairs.map((p) => [p.certificate.value, p.key?.value])).toEqual([
      ['combined.pem', 'combined.pem'],
    ])
  })

  test('Include fails on a missing file, IncludeOptional does not; wildcards are followed in order', () => {
    write({
      'httpd.conf':
        'Include sites-enabled/*.conf\nIncludeOptional conf.d/*.conf\nInclude missing.conf\nIncludeOptional missing.conf\nInclude empty/*.conf\n',
      'sites-enabled/b.conf': '<VirtualHost *:443>\nSSLEngine on\nSSLCertificateFile b.pem\n</VirtualHost>\n',
      'sites-enabled/a.conf': '<VirtualHost *:443>\nSSLEngine on\nSSLCertificateFile a.pem\n</VirtualHost>\n',
    })
    const config = read('httpd.conf')
    expect(problems(config)).toEqual([
      ['httpd.conf', 3, 'include missing.conf: no such file'],
      ['httpd.conf', 5, 'include empty/*.conf: no file matches'],
    ])
    expect(config.blocks.map((b) => [b.at.file, b.pairs[0].certificate.value])).toEqual([
      ['sites-enabled/a.conf', 'a.pem'],
      ['sites-enabled/b.conf', 'b.pem'],
    ])
  })

  test.each([
    ['<VirtualHost *:443>\nSSLEngine on\n', 1, '<virtualhost> is never closed'],
    [
      '<VirtualHost *:443>\n<IfModule ssl>\n</VirtualHost>\n</IfModule>\n',
      3,
      '</VirtualHost> where <ifmodule> (line 2) is still open',
    ],
    ['</VirtualHost>\nSSLEngine on\n', 1, '</VirtualHost> closes no section'],
    ['SSLCertificateFile "a.pem\nSSLEngine on\n', 1, 'unclosed quote (") in this directive'],
  ])('malformed: %j is a finding on line %i', (text, line, message) => {
    write({ 'httpd.conf': text })
    expect(problems(read('httpd.conf'))).toContainEqual(['httpd.conf', line, message])
  })
})
