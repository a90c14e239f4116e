// --shard K/N and `certgate merge`, as a matrix of runners uses them: each
// shard checks a disjoint part of the files, judges each of its certificates
// exactly as a whole run would (chains still completed from the other
// shards' files), and the merged report is the whole run's report.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { runCli } from '../src/cli.js'
import type { Report } from '../src/report/types.js'
import { shardOf } from '../src/scope.js'
import { ext, issue, tempDir, webPki, writePem } from './helpers/pki.js'

const SHARDS = 3
let dir: string

beforeAll(async () => {
  dir = tempDir('certgate-shard-')
  const { root, intermediate } = await webPki()
  writePem(dir, 'root.pem', root)
  writePem(dir, 'intermediate.pem', intermediate)
  for (let i = 0; i < 12; i++) {
    const leaf = await issue({
      cn: `leaf${i}.example.test`,
      issuer: intermediate,
      days: 90,
      hash: i === 5 ? 'SHA-1' : 'SHA-256',
      extensions: [
        ext.notCa(),
        ext.leafKeyUsage(),
        ext.serverAuth(),
        ext.san(`leaf${i}.example.test`),
        ext.aia(['http://ocsp.example.test'], []),
        ext.crlDp('http://crl.example.test/intermediate.crl'),
      ],
    })
    writePem(join(dir), `leaf-${i}.pem`, leaf)
  }
  writeFileSync(
    join(dir, 'garbage.pem'),
    '-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n',
  )
}, 60_000)

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk))
        done()
      },
    })
  const code = await runCli(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    cwd: dir,
  })
  return { code, stdout, stderr }
}

const CHECK = [
  'check',
  '--format',
  'json',
  '--revocation',
  'off',
  '--trust',
  'root.pem',
  '--now',
  '2026-12-01',
  '.',
]
const verdicts = (r: Report) =>
  r.certificates.map((c) => `${c.file}#${c.index} ${c.role} ${c.findings.map((f) => f.rule).join(',')}`)

test('shards split the files disjointly, judge each certificate as the whole run does, and merge back', async () => {
  const whole = await cli(...CHECK)
  const wholeReport = JSON.parse(whole.stdout) as Report
  expect(wholeReport.files).toHaveLength(15)

  const shardFiles: string[] = []
  for (let k = 1; k <= SHARDS; k++) {
    const { code } = await cli(...CHECK, '--shard', `${k}/${SHARDS}`, '--output', `shard-${k}.json`)
    expect([0, 1]).toContain(code)
    shardFiles.push(`shard-${k}.json`)
  }
  const shards = shardFiles.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Report)
  shards.forEach((s, i) => {
    expect(s.scope).toEqual({ label: `shard ${i + 1}/${SHARDS}`, inputs: shards[0].scope?.inputs })
    expect(s.scope?.inputs).toMatch(/^[0-9a-f]{64}$/)
    for (const f of s.files) expect(shardOf(f.file, SHARDS)).toBe(i + 1)
  })
  // Disjoint and complete: every file in exactly one shard.
  const all = shards.flatMap((s) => s.files.map((f) => f.file)).sort()
  expect(all).toEqual(wholeReport.files.map((f) => f.file).sort())
  // A leaf whose intermediate sits in another shard's file is judged the same.
  expect(shards.flatMap(verdicts).sort()).toEqual(verdicts(wholeReport).sort())

  const merged = await cli('merge', '--format', 'json', ...shardFiles)
  expect(merged.code).toBe(1)
  const mergedReport = JSON.parse(merged.stdout) as Report
  expect(mergedReport.summary).toEqual(wholeReport.summary)
  expect(mergedReport.result).toBe(wholeReport.result)
  expect(verdicts(mergedReport).sort()).toEqual(verdicts(wholeReport).sort())
}, 60_000)

test('a merge that would lose or double a shard refuses, naming it', async () => {
  await cli(...CHECK, '--shard', `1/${SHARDS}`, '--output', 'one.json')
  await cli(...CHECK, '--shard', `3/${SHARDS}`, '--output', 'three.json')
  await cli(...CHECK, '--output', 'plain.json')

  const missing = await cli('merge', 'one.json', 'three.json')
  expect(missing.code).toBe(2)
  expect(missing.stderr).toContain(`shard 2/${SHARDS} missing`)

  const doubled = await cli('merge', 'one.json', 'one.json')
  expect(doubled.code).toBe(2)
  expect(doubled.stderr).toContain('are both shard 1/3')

  const unsharded = await cli('merge', 'plain.json')
  expect(unsharded.code).toBe(2)
  expect(unsharded.stderr).toContain('plain.json is not the report of a shard')

  // Shard 2 of a run over fewer files: together the shards would check neither file set whole.
  await cli(
    ...CHECK.slice(0, -1),
    'leaf-0.pem',
    'leaf-1.pem',
    'leaf-2.pem',
    '--shard',
    `2/${SHARDS}`,
    '--output',
    'two-of-fewer.json',
  )
  const mixed = await cli('merge', 'one.json', 'two-of-fewer.json', 'three.json')
  expect(mixed.code).toBe(2)
  expect(mixed.stderr).toMatch(/one\.json and two-of-fewer\.json are shards of different file sets/)

  writeFileSync(join(dir, 'notes.txt'), 'hello')
  const notJson = await cli('merge', 'notes.txt')
  expect(notJson.code).toBe(2)
  expect(notJson.stderr).toContain('notes.txt: not JSON')
}, 60_000)

test.each(['0/3', '4/3', 'two/3', '1'])('--shard %s is a usage error naming the option', async (value) => {
  const { code, stderr } = await cli(...CHECK, '--shard', value)
  expect(code).toBe(2)
  expect(stderr).toContain(`--shard: "${value}" is not K/N`)
})
