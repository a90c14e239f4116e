// The action as the runner runs it: `node dist/index.js` with INPUT_*
// variables, the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, the event in
// GITHUB_EVENT_NAME / GITHUB_EVENT_PATH and, for pull requests, a local HTTP
// server standing in for the REST API at GITHUB_API_URL. Workflow commands on
// stdout are what the runner turns into annotations.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Report } from '../src/report/types.js'
import { bundle, runAction, standInApi, type StandInApi } from './helpers/action.js'
import { createOpensslPki, type OpensslPki } from './helpers/openssl-pki.js'
import { compliantCa, issue, leafExtensions, tempDir, type Issued } from './helpers/pki.js'
import { freePort, stopProcess, type ServerProcess } from './helpers/processes.js'

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js', () => {
  let pki: { root: Issued; intermediate: Issued }
  const leaf = (cn: string, extra: Partial<Parameters<typeof issue>[0]> = {}) =>
    issue({ cn, issuer: pki.intermediate, days: 90, extensions: leafExtensions(cn), ...extra })

  beforeAll(async () => {
    pki = await compliantCa('Action Test')
  })

  test('a passing set: exit 0, result pass, no error commands, a summary that says so', async () => {
    const workspace = tempDir('certgate-action-')
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    mkdirSync(join(workspace, 'certs'))
    const site = await leaf('site.example.test')
    writeFileSync(join(workspace, 'certs/site.pem'), site.pem + pki.intermediate.pem)
    const { code, stdout, outputs, summary } = await runAction(workspace, {
      files: 'certs',
      trust: 'root.pem',
      'report-file': 'out/report.json',
    })
    expect(stdout).not.toMatch(/^::error/m)
    expect(outputs).toMatchObject({
      result: 'pass',
      'failed-count': '0',
      'revoked-count': '0',
      'checked-count': '2',
    })
    expect(outputs['report-file']).toBe('out/report.json')
    const report = JSON.parse(readFileSync(join(workspace, 'out/report.json'), 'utf8')) as Report
    expect(report.certificates.map((c) => `${c.file}:${c.line} ${c.role}`)).toEqual([
      'certs/site.pem:1 leaf',
      `certs/site.pem:${site.pem.split('\n').length} intermediate`,
    ])
    expect(summary).toContain('## ✅ certgate passed')
    expect(summary).toMatch(
      /^\| ✅ \| `certs\/site.pem:1` \| site\.example\.test \| leaf \| skipped \| none \|/m,
    )
    expect(summary).toContain('```mermaid')
    expect(code).toBe(0)
  })

  test('a misordered chain: an error command on the file and line, the step fails naming chain-order', async () => {
    const workspace = tempDir('certgate-action-')
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    writeFileSync(join(workspace, 'site.pem'), pki.intermediate.pem + (await leaf('site.example.test')).pem)
    const { code, stdout, outputs, summary } = await runAction(workspace, {
      files: 'site.pem',
      trust: 'root.pem',
    })
    expect(stdout).toMatch(/^::error title=certgate chain-order,file=site\.pem,line=1::/m)
    expect(stdout).toMatch(/^::error::certgate: gate failed on chain-order$/m)
    expect(outputs).toMatchObject({ result: 'fail', 'failed-count': '1' })
    expect(summary).toContain('## ❌ certgate failed')
    expect(summary).toMatch(/^\| ❌ \| `site.pem:1` .*❌ chain-order/m)
    expect(code).toBe(1)
  })

  test('lints the files input, annotates findings on the PEM line and fails the step on errors', async () => {
    const workspace = tempDir('certgate-action-')
    const weak = await leaf('weak.example.test', { key: 'rsa1024' })
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    writeFileSync(join(workspace, 'site.pem'), 'Site certificate\n' + weak.pem + pki.intermediate.pem)
    const { code, stdout, outputs, summary } = await runAction(workspace, {
      files: 'site.pem',
      trust: 'root.pem',
    })
    expect(stdout).toMatch(/^::error title=certgate weak-key,file=site\.pem,line=2::RSA key of 1024 bits/m)
    expect(stdout).toContain('::group::')
    expect(stdout).toMatch(/^::error::certgate: gate failed on .*weak-key/m)
    expect(outputs.result).toBe('fail')
    expect(summary).toContain('`site.pem:2`')
    expect(code).toBe(1)
  })

  test('a file name cannot inject a workflow command into the log', async () => {
    const workspace = tempDir('certgate-action-')
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    mkdirSync(join(workspace, 'certs'))
    const weak = await leaf('weak.example.test', { key: 'rsa1024' })
    writeFileSync(join(workspace, 'certs', 'x\n::error::pwned\n.pem'), weak.pem + pki.intermediate.pem)
    const { stdout, code } = await runAction(workspace, { files: 'certs', trust: 'root.pem' })
    // The log group still shows the name; the runner ignores commands between the stop-commands markers.
    const stop = /^::stop-commands::(\w+)$/gm
    const active = stdout.replace(/^::stop-commands::(\w+)\n[\s\S]*?^::\1::$/gm, '')
    expect(stop.test(stdout)).toBe(true)
    expect(active).not.toMatch(/^::error::pwned/m)
    expect(active).toMatch(
      /^::error title=certgate weak-key,file=certs\/x%0A%3A%3Aerror%3A%3Apwned%0A\.pem,line=1::/m,
    )
    expect(code).toBe(1)
  })

  test('a sharded matrix: two shard steps, then merge-reports gives one verdict without annotating again', async () => {
    const workspace = tempDir('certgate-action-')
    writeFileSync(join(workspace, 'root.pem'), pki.root.pem)
    mkdirSync(join(workspace, 'certs'))
    for (let i = 0; i < 6; i++) {
      const cert = await leaf(`s${i}.example.test`, i === 2 ? { key: 'rsa1024' } : {})
      writeFileSync(join(workspace, `certs/s${i}.pem`), cert.pem + pki.intermediate.pem)
    }
    const shards = []
    for (const k of [1, 2]) {
      shards.push(
        await runAction(workspace, {
          files: 'certs',
          trust: 'root.pem',
          shard: `${k}/2`,
          'report-file': `reports/${k}.json`,
        }),
      )
    }
    expect(shards.map((s) => Number(s.outputs['checked-count'])).reduce((a, b) => a + b)).toBe(12)
    const merged = await runAction(workspace, {
      'merge-reports': 'reports/*.json',
      'report-file': 'merged.json',
    })
    expect(merged.stdout).toContain('certgate: merged 2 shard reports: reports/1.json, reports/2.json')
    expect(merged.stdout).not.toMatch(/^::error title=/m)
    expect(merged.stdout).toMatch(/^::error::certgate: gate failed on weak-key$/m)
    expect(merged.outputs).toMatchObject({ result: 'fail', 'failed-count': '1', 'checked-count': '12' })
    expect(merged.summary).toMatch(/^\| ❌ \| `certs\/s2.pem:1` /m)
    expect(merged.code).toBe(1)
  })

  test.each([
    [
      'fail-on',
      'revokd',
      'input "fail-on": "revokd" not accepted; use a comma-separated list of revoked, unknown',
    ],
    ['timeout', 'ten', 'input "timeout": "ten" is not a duration; use a number with s, m, h or d'],
    [
      'profile',
      'public',
      'input "profile": "public" is not one of public-tls, private-tls, client-tls, rfc5280',
    ],
    ['changed-only', 'maybe', 'input "changed-only": "maybe" is not true or false'],
    ['shard', '5/4', 'input "shard": "5/4" is not K/N'],
  ])(
    'a bad %s value fails the step naming the input and the accepted values',
    async (input, value, message) => {
      const workspace = tempDir('certgate-action-')
      const { code, stdout } = await runAction(workspace, { files: '.', [input]: value })
      expect(stdout).toContain(`::error::certgate: ${message}`)
      expect(code).toBe(1)
    },
  )

  // The action's users set inputs, not flags: a message about a file must name the input (or the config key).
  test.each([
    [{ trust: 'missing-root.pem' }, 'input "trust": no such file: missing-root.pem'],
    [{ config: 'ci/gate.yml' }, 'input "config": ci/gate.yml does not exist'],
    [{ staples: 'site.ocsp' }, 'input "staples": no such file: site.ocsp'],
    [{ config: 'gate.yml' }, 'gate.yml: now: "2026-02-30" is not a date or time that exists'],
  ])('%j: the step fails naming the input or config key', async (inputs, message) => {
    const workspace = tempDir('certgate-action-')
    writeFileSync(join(workspace, 'site.pem'), (await leaf('site.example.test')).pem)
    writeFileSync(join(workspace, 'gate.yml'), 'now: 2026-02-30\n')
    const { code, stdout } = await runAction(workspace, { files: 'site.pem', ...inputs })
    expect(stdout).toContain(`::error::certgate: ${message}`)
    expect(code).toBe(1)
  })
})

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js against a real OCSP responder', () => {
  let pki: OpensslPki
  let responder: ServerProcess

  beforeAll(async () => {
    pki = createOpensslPki(await freePort())
    pki.revoke('leaf-revoked.crt', 'keyCompromise')
    responder = await pki.startResponder('delegated')
  }, 60_000)
  afterAll(async () => {
    await stopProcess(responder)
    rmSync(pki.dir, { recursive: true, force: true })
  })

  test('a revoked certificate: an error command on its line, revoked-count 1, the summary says revoked', async () => {
    const workspace = tempDir('certgate-action-')
    copyFileSync(pki.path('root.crt'), join(workspace, 'root.pem'))
    mkdirSync(join(workspace, 'certs'))
    const chain = (leaf: string) =>
      readFileSync(pki.path(leaf), 'utf8') + readFileSync(pki.path('intermediate.crt'), 'utf8')
    writeFileSync(join(workspace, 'certs/revoked.pem'), chain('leaf-revoked.crt'))
    writeFileSync(join(workspace, 'certs/good.pem'), chain('leaf-good.crt'))
    const { code, stdout, outputs, summary } = await runAction(workspace, {
      files: 'certs',
      trust: 'root.pem',
      revocation: 'ocsp',
      'allow-private-network': 'true',
      retries: '0',
      // The intermediate names no OCSP responder: unreachable under revocation: ocsp, a warning once it may not fail.
      'fail-on': 'revoked,unknown,stale,invalid,error',
    })
    expect(stdout).toMatch(
      /^::error title=certgate revocation revoked,file=certs\/revoked\.pem,line=1::.*revocation revoked/m,
    )
    expect(stdout).not.toMatch(/^::error title=certgate revocation \w+,file=certs\/good\.pem/m)
    expect(stdout).toMatch(
      /^::warning title=certgate revocation unreachable,file=certs\/good\.pem,line=18::/m,
    )
    expect(outputs).toMatchObject({ result: 'fail', 'revoked-count': '1' })
    expect(summary).toMatch(
      /^\| ❌ \| `certs\/revoked.pem:1` .* \*\*revoked\*\* \d{4}-\d{2}-\d{2} \(keyCompromise\) \| ocsp \| in \d+/m,
    )
    expect(summary).toMatch(/^\| ⚠️ \| `certs\/good.pem:1` .* good \| ocsp \| in \d+.* expires-soon/m)
    expect(code).toBe(1)
  }, 60_000)
})

;(existsSync(bundle) ? describe : describe.skip)('dist/index.js on a pull request (changed-only)', () => {
  const TOKEN = 'ghs_testtoken0123456789abcdef'
  let api: StandInApi
  let workspace: string
  let eventPath: string

  beforeAll(async () => {
    const { root, intermediate } = await compliantCa('Action Test')
    workspace = tempDir('certgate-action-pr-')
    writeFileSync(join(workspace, 'root.pem'), root.pem)
    mkdirSync(join(workspace, 'certs'))
    // Five certificate files; the pull request touches only c.pem, which lost its intermediate.
    for (const name of ['a', 'b', 'd', 'e']) {
      const cert = await issue({
        cn: `${name}.example.test`,
        issuer: intermediate,
        days: 90,
        extensions: leafExtensions(`${name}.example.test`),
      })
      writeFileSync(join(workspace, `certs/${name}.pem`), cert.pem + intermediate.pem)
    }
    const weak = await issue({
      cn: 'c.example.test',
      issuer: intermediate,
      key: 'rsa1024',
      days: 90,
      extensions: leafExtensions('c.example.test'),
    })
    writeFileSync(join(workspace, 'certs/c.pem'), weak.pem)
    // Another file's certificate would fail too, but the pull request does not touch it.
    writeFileSync(
      join(workspace, 'certs/a.pem'),
      intermediate.pem + readFileSync(join(workspace, 'certs/a.pem'), 'utf8'),
    )
    // The base commit is not in this checkout: the trusted root is read at it through the API.
    const contents = { [`root.pem@${'b'.repeat(40)}`]: root.pem }
    api = await standInApi(
      [
        { filename: 'README.md', status: 'modified' },
        { filename: 'certs/c.pem', status: 'modified' },
        { filename: 'certs/old.pem', status: 'removed' },
        { filename: 'src/app.ts', status: 'added' },
        { filename: 'docs/setup.md', status: 'renamed' },
        { filename: 'Makefile', status: 'modified' },
      ],
      contents,
    )
    eventPath = join(workspace, '.runner-event.json')
    writeFileSync(
      eventPath,
      JSON.stringify({ action: 'synchronize', pull_request: { number: 7, base: { sha: 'b'.repeat(40) } } }),
    )
  }, 60_000)
  afterAll(() => new Promise((resolve) => api.server.close(resolve)))

  test('checks only the changed certificate file, completing its chain from the unchanged ones', async () => {
    const { code, stdout, outputs, summary } = await runAction(
      workspace,
      {
        files: 'certs',
        trust: 'root.pem',
        'changed-only': 'true',
        'github-token': TOKEN,
        'report-file': 'report.json',
      },
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: eventPath, GITHUB_API_URL: api.url },
    )
    // All three pages were read, with the token (beside the config file and root.pem at the base commit).
    const listed = api.requests.filter((r) => r.url?.includes('/pulls/7/files'))
    const pages = listed.map((r) => new URL(r.url ?? '', 'http://x').searchParams.get('page') ?? '1')
    expect(pages).toEqual(['1', '2', '3'])
    expect(api.requests.every((r) => r.headers.authorization === `token ${TOKEN}`)).toBe(true)

    const report = JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as Report
    expect(report.files.map((f) => f.file)).toEqual(['certs/c.pem'])
    expect(report.scope?.label).toBe('files changed by pull request #7')
    // c.pem holds the leaf alone; its intermediate comes from the unchanged files.
    expect(report.certificates[0].chainStatus).toBe('valid')
    expect(stdout).toMatch(/^::error title=certgate weak-key,file=certs\/c\.pem,line=1::/m)
    expect(stdout).not.toMatch(/file=certs\/a\.pem/)
    // The token reaches the runner only to be masked (the runner hides ::add-mask:: lines and every later occurrence).
    expect(stdout.split('\n').filter((l) => l.includes(TOKEN))).toEqual([`::add-mask::${TOKEN}`])
    expect(outputs).toMatchObject({ result: 'fail', 'checked-count': '1' })
    expect(summary).toContain('files changed by pull request #7')
    expect(code).toBe(1)
  })

  test('on a push event changed-only falls back to every file, with a notice', async () => {
    api.requests.length = 0
    const { stdout, outputs } = await runAction(
      workspace,
      { files: 'certs', trust: 'root.pem', 'changed-only': 'true', 'github-token': TOKEN },
      { GITHUB_EVENT_NAME: 'push', GITHUB_API_URL: api.url },
    )
    expect(stdout).toMatch(
      /^::notice::certgate: checking all files: changed-only applies to pull requests; this is a push run$/m,
    )
    expect(api.requests).toHaveLength(0)
    expect(stdout).toMatch(/file=certs\/a\.pem/)
    expect(outputs['checked-count']).toBe('10')
  })
})
