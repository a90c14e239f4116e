// Nothing lost (issue 6, part 3): a repository tree of hundreds of files —
// certificates as PEM and DER, duplicates, broken and empty files, a locked
// file, a FIFO, dangling and looping symlinks, a directory named like a
// certificate — checked by check(): every candidate file appears exactly
// once in report.files, nothing else appears, and the counts add up.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { check } from '../../src/check.js'
import { discoverFiles, loadFiles } from '../../src/load/index.js'
import { resolveOptions } from '../../src/options.js'
import type { Report } from '../../src/report/types.js'
import { tempDir, type Issued } from '../helpers/pki.js'
import { createTestCa, leaf, type TestCa } from './fixtures.js'

const DISTINCT_CERTS = 60
const isRoot = process.getuid?.() === 0

let ca: TestCa
let root: string
/** Every file the gate must report, with the certificates it holds. */
const expected = new Map<string, number>()
/** Files in the tree that are not candidates (wrong name, skipped directories). */
const ignored: string[] = []

function put(path: string, content: string | Uint8Array, certificates: number): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), content)
  expected.set(path, certificates)
}

function putIgnored(path: string, content: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true })
  writeFileSync(join(root, path), content)
  ignored.push(path)
}

beforeAll(async () => {
  ca = await createTestCa()
  root = tempDir('certgate-tree-')
  const leaves: Issued[] = []
  for (let i = 0; i < DISTINCT_CERTS; i++) leaves.push(await leaf(ca, `host-${i}.reliability.test`, {}))

  leaves.forEach((cert, i) => {
    const team = `team-${i % 6}/svc-${i % 10}`
    put(`${team}/host-${i}.pem`, cert.pem, 1)
    put(`${team}/der/host-${i}.${['der', 'crt', 'cer'][i % 3]}`, cert.der, 1)
    put(`${team}/chain-${i}.PEM`, 'chain for the load balancer\n' + cert.pem + ca.intermediate.pem, 2)
  })
  for (let i = 0; i < 40; i++) put(`copies/copy-${i}.pem`, leaves[i % 7].pem, 1)
  for (let i = 0; i < 30; i++) {
    const pem = leaves[i].pem
    put(`broken/truncated-${i}.pem`, pem.slice(0, 40 + i * 7), 0)
    put(`broken/random-${i}.der`, Buffer.from(leaves[i].der.slice(0, 20 + i)).reverse(), 0)
  }
  put('broken/empty.crt', '', 0)
  put('broken/text.cer', 'this is not a certificate\n', 0)
  put('bundle/everything.pem', leaves.map((c) => c.pem).join('junk between blocks\n'), DISTINCT_CERTS)
  put('x.pem/inside.crt', leaves[0].pem, 1)
  put('locked.pem', leaves[1].pem, isRoot ? 1 : 0)
  chmodSync(join(root, 'locked.pem'), 0o000)

  execFileSync('mkfifo', [join(root, 'pipe.pem')])
  expected.set('pipe.pem', 0)
  symlinkSync('does-not-exist.pem', join(root, 'dangling.pem'))
  expected.set('dangling.pem', 0)
  symlinkSync('loop-b.pem', join(root, 'loop-a.pem'))
  symlinkSync('loop-a.pem', join(root, 'loop-b.pem'))
  expected.set('loop-a.pem', 0)
  expected.set('loop-b.pem', 0)
  // Links to files and directories already in the tree: reported once, under the real path.
  symlinkSync('team-0/svc-0/host-0.pem', join(root, 'alias.pem'))
  symlinkSync('..', join(root, 'team-1', 'up'))
  symlinkSync('.', join(root, 'copies', 'self'))

  putIgnored('README.md', '# certificates\n')
  putIgnored('team-0/notes.txt', leaves[2].pem)
  putIgnored('team-0/site.key', 'not scanned by name\n')
  putIgnored('node_modules/dep/cert.pem', leaves[3].pem)
  putIgnored('.git/objects/cert.pem', leaves[4].pem)
})

afterAll(async () => {
  await ca.responder.close()
  for (const dir of [root, ca.trustDir]) rmSync(dir, { recursive: true, force: true })
})

describe('a tree of hundreds of files', () => {
  let report: Report
  beforeAll(async () => {
    report = await check(resolveOptions({ revocation: 'off' }, { inputs: ['.'], cwd: root }))
  })

  test('every candidate file appears exactly once, and nothing else', () => {
    expect(expected.size).toBeGreaterThan(250)
    const reported = report.files.map((f) => f.file)
    expect(reported.filter((file, i) => reported.indexOf(file) !== i)).toEqual([])
    expect([...reported].sort()).toEqual([...expected.keys()].sort())
    for (const file of ignored) expect(reported).not.toContain(file)
  })

  test('each file holds the certificates written into it, and the counts add up', () => {
    const held = Object.fromEntries(report.files.map((f) => [f.file, f.certificates]))
    expect(held).toEqual(Object.fromEntries(expected))
    const total = [...expected.values()].reduce((a, b) => a + b, 0)
    expect(report.certificates).toHaveLength(total)
    expect(report.summary.certificates).toBe(total)
    expect(report.summary.files).toBe(expected.size)
    const perFile = new Map<string, number>()
    for (const cert of report.certificates) perFile.set(cert.file, (perFile.get(cert.file) ?? 0) + 1)
    expect(Object.fromEntries(perFile)).toEqual(
      Object.fromEntries([...expected].filter(([, certificates]) => certificates > 0)),
    )
  })

  test('a file that yields nothing says why, and fails the gate', () => {
    for (const file of report.files.filter((f) => f.certificates === 0)) {
      expect({ file: file.file, kind: file.kind }).toEqual({ file: file.file, kind: 'unreadable' })
      expect(file.findings.map((f) => f.rule)).toContain('parse-error')
    }
    const message = (file: string) => report.files.find((f) => f.file === file)?.findings[0]?.message
    expect(message('pipe.pem')).toMatch(/not a regular file: a named pipe \(FIFO\)/)
    expect(message('dangling.pem')).toMatch(/cannot read the file: .*ENOENT/)
    expect(message('loop-a.pem')).toMatch(/cannot read the file: .*ELOOP/)
    expect(report.result).toBe('fail')
  })
})

describe('special files named on the command line', () => {
  test('a FIFO is reported unreadable without being opened (reading it would wait forever)', async () => {
    const report = await check(
      resolveOptions({ revocation: 'off' }, { inputs: ['pipe.pem', 'alias.pem'], cwd: root }),
    )
    expect(report.files.map((f) => [f.file, f.kind, f.certificates])).toEqual([
      ['alias.pem', 'certificates', 1],
      ['pipe.pem', 'unreadable', 0],
    ])
  })
})

describe('a file that vanishes between discovery and loading', () => {
  test('is reported unreadable, the others are loaded', async () => {
    const dir = tempDir('certgate-vanish-')
    try {
      const cert = await leaf(ca, 'vanish.reliability.test', {})
      writeFileSync(join(dir, 'stays.pem'), cert.pem)
      writeFileSync(join(dir, 'goes.pem'), cert.pem)
      const { files } = await discoverFiles(['.'], { cwd: dir })
      unlinkSync(join(dir, 'goes.pem'))
      const loaded = await loadFiles(files, dir)
      expect(loaded.map((f) => [f.file, f.kind, f.certs.length])).toEqual([
        ['goes.pem', 'unreadable', 0],
        ['stays.pem', 'certificates', 1],
      ])
      expect(loaded[0].findings[0].message).toMatch(/cannot read the file: .*ENOENT/)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
