// A pull request is judged by rules it cannot change. The action runs as the
// runner runs it (node dist/index.js) in real git repositories the tests
// make: a base commit, and the pull request's head checked out on top; the
// REST API is a local stand-in. Then changed-only, which must find the
// changed file whatever form `files` takes.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import type { Report } from '../../src/report/types.js'
import { bundle, runAction, standInApi, type StandInApi } from '../helpers/action.js'
import { compliantCa, issue, leafExtensions, tempDir, type Issued } from '../helpers/pki.js'

const TOKEN = 'ghs_prtesttoken0123456789abcdef'

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
    encoding: 'utf8',
  }).trim()
}

/** Writes files (relative path → text) into dir. */
function write(dir: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
}

/** A repository with a base commit and, on top, the pull request's head commit; returns the base SHA. */
function repository(dir: string, base: Record<string, string>, head: Record<string, string>): string {
  mkdirSync(dir, { recursive: true })
  git(dir, 'init', '-q')
  write(dir, base)
  git(dir, 'add', '-A')
  git(dir, 'commit', '--allow-empty', '-qm', 'base')
  const sha = git(dir, 'rev-parse', 'HEAD')
  write(dir, head)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-qm', 'pull request')
  return sha
}

function event(dir: string, baseSha: string): string {
  const path = join(dir, '..', `event-${Math.random().toString(36).slice(2)}.json`)
  writeFileSync(
    path,
    JSON.stringify({ action: 'synchronize', pull_request: { number: 7, base: { sha: baseSha } } }),
  )
  return path
}

const pullRequest = (eventPath: string, api?: StandInApi) => ({
  GITHUB_EVENT_NAME: 'pull_request',
  GITHUB_EVENT_PATH: eventPath,
  ...(api ? { GITHUB_API_URL: api.url } : {}),
})

const reportOf = (workspace: string) =>
  JSON.parse(readFileSync(join(workspace, 'report.json'), 'utf8')) as Report

const describeBundle = existsSync(bundle) ? describe : describe.skip

let pki: { root: Issued; intermediate: Issued }
let weak: string
const servers: Server[] = []

beforeAll(async () => {
  pki = await compliantCa('PR Test')
  const cert = await issue({
    cn: 'weak.example.test',
    issuer: pki.intermediate,
    key: 'rsa1024',
    days: 90,
    extensions: leafExtensions('weak.example.test'),
  })
  weak = cert.pem + pki.intermediate.pem
}, 60_000)
afterAll(() => Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve)))))

describeBundle('config-source: the config that judges a pull request', () => {
  const IGNORE_ALL = 'ignore:\n  - path: "**"\n    reason: trust me\nrules:\n  weak-key: "off"\n'

  test('a config the pull request adds is not applied, and the log, summary and a notice on it say so', async () => {
    const workspace = tempDir('certgate-pr-')
    const sha = repository(
      workspace,
      { 'root.pem': pki.root.pem },
      { 'certs/site.pem': weak, '.certgate.yml': IGNORE_ALL },
    )
    const inputs = { files: 'certs', trust: 'root.pem', 'report-file': 'report.json' }
    const run = await runAction(workspace, inputs, pullRequest(event(workspace, sha)))
    const message = `no config applied: the base commit ${sha.slice(0, 7)} has no .certgate.yml; the one this pull request adds takes effect after merge (config-source: base)`
    expect(run.stdout).toContain(`::notice title=certgate config,file=.certgate.yml,line=1::${message}`)
    expect(run.stdout).toContain(`certgate: ${message}`)
    expect(run.summary).toContain(
      `ℹ️ no config applied&#58; the base commit ${sha.slice(0, 7)} has no .certgate.yml`,
    )
    expect(run.outputs.result).toBe('fail')
    expect(run.stdout).toMatch(/^::error title=certgate weak-key,file=certs\/site\.pem,line=1::/m)
    expect(reportOf(workspace).notes).toEqual([message])
    expect(run.code).toBe(1)

    // config-source: head is the repository owner's choice to let the pull request's config apply.
    const head = await runAction(
      workspace,
      { ...inputs, 'config-source': 'head' },
      pullRequest(event(workspace, sha)),
    )
    expect(head.outputs.result).toBe('pass')
    expect(head.summary).toContain(
      'config&#58; .certgate.yml as this pull request has it (config-source&#58; head)',
    )
  })

  test('a pull request that trusts its own root in a changed config is judged by the base config', async () => {
    const evil = await compliantCa('Evil')
    const own = await issue({
      cn: 'own.example.test',
      issuer: evil.intermediate,
      days: 90,
      extensions: leafExtensions('own.example.test'),
    })
    const workspace = tempDir('certgate-pr-')
    const sha = repository(
      workspace,
      { 'root.pem': pki.root.pem, '.certgate.yml': 'trust: [root.pem]\n' },
      {
        'evil-root.pem': evil.root.pem,
        'certs/own.pem': own.pem + evil.intermediate.pem,
        '.certgate.yml': 'trust: [root.pem, evil-root.pem]\n',
      },
    )
    const inputs = { files: 'certs', 'report-file': 'report.json' }
    const run = await runAction(workspace, inputs, pullRequest(event(workspace, sha)))
    const message = `config: .certgate.yml as of the base commit ${sha.slice(0, 7)}; this pull request changes it, and its change takes effect after merge (config-source: base)`
    expect(run.stdout).toContain(`::notice title=certgate config,file=.certgate.yml,line=1::${message}`)
    expect(run.outputs.result).toBe('fail')
    expect(reportOf(workspace).certificates[0].chainStatus).not.toBe('valid')
    const head = await runAction(
      workspace,
      { ...inputs, 'config-source': 'head' },
      pullRequest(event(workspace, sha)),
    )
    expect(head.outputs.result).toBe('pass')
  })

  test('a pull request that swaps the trusted root file, or adds one to a trusted folder, is judged by the base versions', async () => {
    const evil = await compliantCa('Evil Swap')
    const own = await issue({
      cn: 'swap.example.test',
      issuer: evil.intermediate,
      days: 90,
      extensions: leafExtensions('swap.example.test'),
    })
    const workspace = tempDir('certgate-pr-')
    // The config is untouched: only the file it trusts changes, and a new root lands in a trusted folder.
    const sha = repository(
      workspace,
      {
        'root.pem': pki.root.pem,
        'roots/ours.pem': pki.root.pem,
        '.certgate.yml': 'trust: [root.pem, roots]\n',
      },
      {
        'root.pem': evil.root.pem,
        'roots/theirs.pem': evil.root.pem,
        'certs/own.pem': own.pem + evil.intermediate.pem,
      },
    )
    const inputs = { files: 'certs', 'report-file': 'report.json' }
    const run = await runAction(workspace, inputs, pullRequest(event(workspace, sha)))
    const short = sha.slice(0, 7)
    const changed = `trust file root.pem: read as of the base commit ${short}; this pull request changes it, and its change takes effect after merge (config-source: base)`
    const added = `trust file roots/theirs.pem is not used: the base commit ${short} has no such file; the one this pull request adds takes effect after merge (config-source: base)`
    expect(run.stdout).toContain(`::notice title=certgate config,file=root.pem,line=1::${changed}`)
    expect(run.stdout).toContain(`::notice title=certgate config,file=roots/theirs.pem,line=1::${added}`)
    expect(reportOf(workspace).notes).toEqual(expect.arrayContaining([changed, added]))
    expect(reportOf(workspace).certificates[0].chainStatus).not.toBe('valid')
    expect(run.outputs.result).toBe('fail')

    // config-source: head trusts the checkout as it is.
    const head = await runAction(
      workspace,
      { ...inputs, 'config-source': 'head' },
      pullRequest(event(workspace, sha)),
    )
    expect(head.outputs.result).toBe('pass')
  })

  test('issuer and responder certificate files named by inputs are read as the base commit holds them', async () => {
    const evil = await compliantCa('Evil Issuer')
    const leaf = await issue({
      cn: 'issuers.example.test',
      issuer: pki.intermediate,
      days: 90,
      extensions: leafExtensions('issuers.example.test'),
    })
    const workspace = tempDir('certgate-pr-')
    // No config at all: the workflow names the files, and the pull request swaps one and adds the other.
    const sha = repository(
      workspace,
      { 'root.pem': pki.root.pem, 'ca/intermediate.pem': pki.intermediate.pem },
      {
        'ca/intermediate.pem': evil.intermediate.pem,
        'ca/responder.pem': evil.root.pem,
        'certs/site.pem': leaf.pem,
      },
    )
    const inputs = {
      files: 'certs',
      trust: 'root.pem',
      issuers: 'ca/intermediate.pem',
      'responder-certs': 'ca/responder.pem',
      'report-file': 'report.json',
    }
    const run = await runAction(workspace, inputs, pullRequest(event(workspace, sha)))
    const short = sha.slice(0, 7)
    const changed = `issuer file ca/intermediate.pem: read as of the base commit ${short}; this pull request changes it, and its change takes effect after merge (config-source: base)`
    const added = `responder-cert file ca/responder.pem is not used: the base commit ${short} has no such file; the one this pull request adds takes effect after merge (config-source: base)`
    expect(run.stdout).toContain(`::notice title=certgate config,file=ca/intermediate.pem,line=1::${changed}`)
    expect(run.stdout).toContain(`::notice title=certgate config,file=ca/responder.pem,line=1::${added}`)
    // The base's intermediate completes the leaf's chain; the pull request's would not.
    expect(reportOf(workspace).certificates[0].chainStatus).toBe('valid')
    expect(run.outputs.result).toBe('pass')
  })

  test('without the base commit in the checkout, the config is read through the REST API at the base SHA', async () => {
    const workspace = tempDir('certgate-pr-')
    // The head's config accepts nothing; the base's (only on the server) accepts the weak key.
    repository(
      workspace,
      {},
      { 'root.pem': pki.root.pem, 'certs/site.pem': weak, '.certgate.yml': 'profile: public-tls\n' },
    )
    const missing = 'c0ffee'.padEnd(40, '0')
    const api = await standInApi([], {
      [`.certgate.yml@${missing}`]: 'ignore:\n  - rule: weak-key\n    reason: replaced next week\n',
      [`root.pem@${missing}`]: pki.root.pem,
    })
    servers.push(api.server)
    const run = await runAction(
      workspace,
      { files: 'certs', trust: 'root.pem', 'github-token': TOKEN },
      pullRequest(event(workspace, missing), api),
    )
    // The trust anchor file too: the pull request's checkout holds it.
    expect(api.requests.map((r) => r.url)).toEqual([
      `/repos/octo/certs/contents/.certgate.yml?ref=${missing}`,
      `/repos/octo/certs/contents/root.pem?ref=${missing}`,
    ])
    expect(api.requests.map((r) => r.headers.authorization)).toEqual([`token ${TOKEN}`, `token ${TOKEN}`])
    expect(run.stdout).toContain('this pull request changes it')
    expect(run.outputs.result).toBe('pass')

    // No token and no base commit: the step fails saying how to fix it, never judging with the pull request's config.
    const blind = await runAction(
      workspace,
      { files: 'certs', trust: 'root.pem', 'github-token': '' },
      pullRequest(event(workspace, missing)),
    )
    expect(blind.stdout).toMatch(
      /^::error::certgate: config-source base: cannot read \.certgate\.yml at the base commit c0ffee0: .*no github-token.*config-source: head/m,
    )
    expect(blind.code).toBe(1)
  })

  test('endpoints a pull request names in its config: not applied from base; refused by the address policy from head', async () => {
    const connections: string[] = []
    const server = createServer((socket) => {
      connections.push(String(socket.remoteAddress))
      socket.destroy()
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const workspace = tempDir('certgate-pr-')
    const sha = repository(
      workspace,
      { 'root.pem': pki.root.pem, 'certs/ok.txt': 'not a certificate\n' },
      {
        '.certgate.yml': `endpoint: ["127.0.0.1:${port}", "169.254.169.254:443", "[64:ff9b::a9fe:a9fe]:443"]\n`,
      },
    )
    const inputs = { files: '', staples: '', 'report-file': 'report.json' }
    const base = await runAction(
      workspace,
      { ...inputs, endpoints: `127.0.0.1:${port}` },
      pullRequest(event(workspace, sha)),
    )
    // The workflow's own endpoint input is the user's choice and is reached; the config's list is not applied.
    expect(reportOf(workspace).endpoints.map((e) => e.port)).toEqual([port])
    expect(connections).toEqual(['127.0.0.1'])
    expect(base.code).toBe(1)

    connections.length = 0
    await runAction(workspace, { ...inputs, 'config-source': 'head' }, pullRequest(event(workspace, sha)))
    const endpoints = reportOf(workspace).endpoints
    expect(endpoints.map((e) => e.findings.map((f) => f.message))).toEqual([
      [expect.stringMatching(/refused by the address policy, 127\.0\.0\.1 is a loopback or private address/)],
      [
        expect.stringMatching(
          /refused by the address policy, 169\.254\.169\.254 is a cloud metadata address/,
        ),
      ],
      [
        expect.stringMatching(
          /refused by the address policy, 64:ff9b::a9fe:a9fe is a cloud metadata address/,
        ),
      ],
    ])
    expect(connections).toEqual([])
  })
})

describeBundle('changed-only by real path relative to the repository root', () => {
  /** A workspace holding the repository in `repo/` (actions/checkout with `path: repo`). */
  async function subfolderCheckout(): Promise<{ workspace: string; sha: string }> {
    const workspace = tempDir('certgate-changed-')
    const repo = join(workspace, 'repo')
    const good = await issue({
      cn: 'good.example.test',
      issuer: pki.intermediate,
      days: 90,
      extensions: leafExtensions('good.example.test'),
    })
    const sha = repository(
      repo,
      {
        'root.pem': pki.root.pem,
        'certs/good.pem': good.pem + pki.intermediate.pem,
        'legacy/old.pem': good.pem,
      },
      { 'certs/changed.pem': weak },
    )
    symlinkSync('repo/certs', join(workspace, 'deploy'))
    return { workspace, sha }
  }

  test.each([
    ['repo/certs', 'repo/certs/changed.pem'],
    ['./repo/certs', 'repo/certs/changed.pem'],
    ['<absolute>', 'repo/certs/changed.pem'],
    ['deploy', 'deploy/changed.pem'],
    ['repo/**/*.pem', 'repo/certs/changed.pem'],
  ])('files: %s checks the changed file', async (files, shown) => {
    const { workspace, sha } = await subfolderCheckout()
    const api = await standInApi([
      { filename: 'certs/changed.pem', status: 'added' },
      { filename: 'README.md', status: 'modified' },
    ])
    servers.push(api.server)
    const run = await runAction(
      workspace,
      {
        files: files === '<absolute>' ? join(workspace, 'repo/certs') : files,
        trust: 'repo/root.pem',
        'changed-only': 'true',
        'github-token': TOKEN,
        'report-file': 'report.json',
      },
      pullRequest(event(workspace, sha), api),
    )
    const report = reportOf(workspace)
    expect(report.files.map((f) => f.file)).toEqual([shown])
    expect(report.scope?.label).toBe('files changed by pull request #7')
    expect(run.outputs).toMatchObject({ result: 'fail', 'checked-count': '2' })
  })

  test('certificate files changed but none among the files found: every file is checked, and the summary says why', async () => {
    const { workspace, sha } = await subfolderCheckout()
    const api = await standInApi([{ filename: 'elsewhere/new.pem', status: 'added' }])
    servers.push(api.server)
    const run = await runAction(
      workspace,
      {
        files: 'repo/certs',
        trust: 'repo/root.pem',
        'changed-only': 'true',
        'github-token': TOKEN,
        'report-file': 'report.json',
      },
      pullRequest(event(workspace, sha), api),
    )
    const why =
      'pull request #7 changes 1 certificate file (elsewhere/new.pem) and none of them is among the files found, so every file was checked'
    const report = reportOf(workspace)
    expect(report.files.map((f) => f.file)).toEqual(['repo/certs/changed.pem', 'repo/certs/good.pem'])
    expect(report.scope).toBeUndefined()
    expect(report.notes).toContain(why)
    expect(run.stdout).toContain(`::notice::certgate: ${why}`)
    expect(run.summary).toContain('every file was checked')
  })
})
