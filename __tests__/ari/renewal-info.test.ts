// ACME Renewal Information end to end: `certgate check --ari URL` against a
// local ARI server on 127.0.0.1 that answers each certID as RFC 9773 §4.2
// does, with windows in the past, around now and in the future, Retry-After
// as seconds and as an HTTP date, an explanationURL, and broken answers.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ariCertId } from '../../src/ari/cert-id.js'
import { serveFiles, type FileServer } from '../helpers/file-server.js'
import { compliantCa, issue, leafExtensions, tempDir, writePem, type Issued } from '../helpers/pki.js'
import { certificateEntry, runCheck } from '../helpers/run-check.js'

const HOUR = 3_600_000
const DAY = 24 * HOUR
let server: FileServer
let dir: string
let ca: { root: Issued; intermediate: Issued }

beforeAll(async () => {
  server = await serveFiles()
  dir = tempDir('certgate-ari-')
  ca = await compliantCa('ARI Test')
  writePem(dir, 'root.pem', ca.root)
})

afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Answer {
  /** The suggested window, in milliseconds from now. */
  window?: [number, number]
  body?: string
  headers?: Record<string, string>
  status?: number
  explanation?: string
}

/** A leaf in `<name>.pem` (with its intermediate), and the ARI server's `answer` for its certID. */
async function leafAnswered(name: string, answer: Answer): Promise<{ leaf: Issued; file: string }> {
  const leaf = await issue({
    cn: `${name}.test`,
    issuer: ca.intermediate,
    extensions: leafExtensions(`${name}.test`),
  })
  const window = answer.window?.map((ms) => new Date(Date.now() + ms).toISOString())
  const body =
    answer.body ??
    JSON.stringify({
      suggestedWindow: { start: window?.[0], end: window?.[1] },
      ...(answer.explanation ? { explanationURL: answer.explanation } : {}),
    })
  server.set(`/acme/renewal-info/${ariCertId(leaf.model)}`, {
    body,
    contentType: 'application/json',
    headers: answer.headers,
    status: answer.status,
  })
  return { leaf, file: writePem(dir, `${name}.pem`, leaf, ca.intermediate) }
}

/** `certgate check` of `file` with `args`; its exit status and the leaf's renewal-due findings. */
async function renewalDue(leaf: Issued, file: string, ...args: string[]) {
  const run = await runCheck(['--revocation', 'off', '--trust', join(dir, 'root.pem'), ...args, file], dir)
  return {
    code: run.code,
    findings: certificateEntry(run, leaf.model.sha256).findings.filter((f) => f.rule === 'renewal-due'),
  }
}

const withAri = async (name: string, answer: Answer) => {
  const { leaf, file } = await leafAnswered(name, answer)
  return renewalDue(leaf, file, '--ari', server.url('/acme/renewal-info/'))
}

describe('the suggested window', () => {
  test('in the future: nothing to do', async () => {
    const { findings, code } = await withAri('future', { window: [20 * DAY, 25 * DAY] })
    expect(findings).toEqual([])
    expect(code).toBe(0)
  })

  test('around now: a warning naming the window, the explanation and Retry-After (seconds)', async () => {
    const before = Date.now()
    const { findings, code } = await withAri('current', {
      window: [-DAY, DAY],
      explanation: 'https://acme.example/incident/42',
      headers: { 'retry-after': '21600' },
    })
    expect(findings).toEqual([
      {
        rule: 'renewal-due',
        severity: 'warning',
        message: expect.stringMatching(
          /^Inside the CA's suggested renewal window \(\S+ to \S+\): renew it\. The CA explains why at https:\/\/acme\.example\/incident\/42\. The CA asks to be asked again after (\S+) \(Retry-After\)\.$/,
        ),
      },
    ])
    const retry = Date.parse(/after (\S+) \(Retry-After\)/.exec(findings[0].message)![1])
    expect(retry).toBeGreaterThanOrEqual(before + 21600_000 - 1000)
    expect(retry).toBeLessThanOrEqual(Date.now() + 21600_000 + 1000)
    expect(code).toBe(0) // warnings do not fail the default gate
  })

  test('in the past: an error that fails the gate; Retry-After as an HTTP date', async () => {
    const { findings, code } = await withAri('past', {
      window: [-3 * DAY, -DAY],
      headers: { 'retry-after': 'Wed, 21 Oct 2037 07:28:00 GMT' },
    })
    expect(findings).toEqual([
      {
        rule: 'renewal-due',
        severity: 'error',
        message: expect.stringMatching(
          /suggested renewal window \(\S+ to \S+\) has passed: replace this certificate now.* asked again after 2037-10-21T07:28:00\.000Z \(Retry-After\)\.$/,
        ),
      },
    ])
    expect(code).toBe(1)
  })
})

describe('answers that give no window are reported as info, never a crash', () => {
  test.each([
    ['not JSON', { body: '<html>' }, /is not JSON/],
    ['end before start', { window: [DAY, -DAY] as [number, number] }, /ends .* before it starts/],
    ['no suggestedWindow', { body: '{"explanationURL":"https://x.test/"}' }, /no suggestedWindow/],
    ['HTTP 404', { body: 'no such certificate', status: 404 }, /no renewal information: .*404/],
  ])('%s', async (name, answer, problem) => {
    const { findings, code } = await withAri(name.replace(/\W+/g, '-'), answer)
    expect(findings).toEqual([
      { rule: 'renewal-due', severity: 'info', message: expect.stringMatching(problem) },
    ])
    expect(findings[0].message).toContain(`No renewal information from ${server.url('/acme/renewal-info/')}`)
    expect(code).toBe(0)
  })

  test('an explanationURL that is not an http(s) URL is not shown', async () => {
    const { findings } = await withAri('bad-explanation', {
      window: [-DAY, DAY],
      explanation: 'javascript:alert(1)',
    })
    expect(findings[0].message).not.toContain('javascript')
  })
})

describe('the address policy', () => {
  test('a metadata address is never contacted, even when the user names it', async () => {
    const { leaf, file } = await leafAnswered('meta', { window: [-DAY, DAY] })
    const { findings } = await renewalDue(leaf, file, '--ari', 'http://169.254.169.254/acme/renewal-info')
    expect(findings).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringContaining('metadata') }),
    ])
  })

  test('an ARI URL from a config file is held to the policy of URLs in certificates', async () => {
    const { leaf, file } = await leafAnswered('config', { window: [-DAY, -HOUR] })
    writeFileSync(join(dir, 'ari.yml'), `ari: ${server.url('/acme/renewal-info')}\n`)
    const refused = await renewalDue(leaf, file, '--config', 'ari.yml')
    expect(refused.findings).toEqual([
      expect.objectContaining({ severity: 'info', message: expect.stringContaining('loopback') }),
    ])
    const allowed = await renewalDue(leaf, file, '--config', 'ari.yml', '--allow-private-network')
    expect(allowed.findings).toEqual([expect.objectContaining({ severity: 'error' })])
  })

  test('a value that is not an http(s) URL is a usage error', async () => {
    const run = runCheck(['--ari', 'ftp://acme.test/renewal-info', join(dir, 'root.pem')], dir)
    await expect(run).rejects.toThrow(/--ari: "ftp:\/\/acme\.test\/renewal-info" is not an http or https URL/)
  })
})
