// A tree a stranger controls (a pull request's checkout): symlinks into
// /proc, /dev, / and /etc, a FIFO, a symlink loop, folders to exclude and a
// file name that is not UTF-8. check() must end, read nothing it must not,
// and name every such path: a finding on a file, or an entry in `skipped`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { check } from '../../src/check.js'
import { discoverFiles } from '../../src/load/discover.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderText } from '../../src/report/text.js'
import type { Report } from '../../src/report/types.js'
import { issue, tempDir, type Issued } from '../helpers/pki.js'

let cert: Issued
const dirs: string[] = []

beforeAll(async () => {
  cert = await issue({ cn: 'tree.example.test' })
})
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function tree(): string {
  const dir = tempDir('certgate-tree-')
  dirs.push(dir)
  return dir
}

function run(cwd: string, inputs: string[], settings: RawSettings = {}, confineTo?: string): Promise<Report> {
  return check(resolveOptions({ revocation: 'off', ...settings }, { inputs, cwd, confineTo }))
}

const messagesOf = (report: Report, file: string) =>
  report.files.find((f) => f.file === file)?.findings.map((f) => f.message)

describe('symlinks and special files in the tree', () => {
  test('/proc, /dev, / and /etc are never read or walked; each is named; the good file is checked', async () => {
    const dir = tree()
    mkdirSync(join(dir, 'certs'))
    writeFileSync(join(dir, 'certs/good.pem'), cert.pem)
    symlinkSync('/proc/self/pagemap', join(dir, 'certs/pagemap.pem'))
    symlinkSync('/proc/kmsg', join(dir, 'certs/kmsg.pem'))
    symlinkSync('/dev/zero', join(dir, 'certs/zero.pem'))
    symlinkSync('/', join(dir, 'certs/root'))
    symlinkSync('/etc', join(dir, 'certs/etc'))
    symlinkSync('/proc', join(dir, 'certs/proc'))
    execFileSync('mkfifo', [join(dir, 'certs/pipe.pem')])
    symlinkSync('loop-b.pem', join(dir, 'certs/loop-a.pem'))
    symlinkSync('loop-a.pem', join(dir, 'certs/loop-b.pem'))

    const report = await run(dir, ['certs'])
    expect(report.files.map((f) => f.file)).toEqual([
      'certs/good.pem',
      'certs/kmsg.pem',
      'certs/loop-a.pem',
      'certs/loop-b.pem',
      'certs/pagemap.pem',
      'certs/pipe.pem',
      'certs/zero.pem',
    ])
    expect(report.files[0]).toMatchObject({ kind: 'certificates', certificates: 1 })
    expect(messagesOf(report, 'certs/pagemap.pem')).toEqual([
      expect.stringMatching(
        /^not read: it is a symlink to \/proc\/\d+\/pagemap: nothing under \/proc is read$/,
      ),
    ])
    // /proc/kmsg exists on most kernels; where it does not, the link is dangling and cannot be read either.
    expect(messagesOf(report, 'certs/kmsg.pem')).toEqual([
      existsSync('/proc/kmsg')
        ? 'not read: it is a symlink to /proc/kmsg: nothing under /proc is read'
        : expect.stringMatching(/^cannot read the file: .*ENOENT/),
    ])
    expect(messagesOf(report, 'certs/zero.pem')).toEqual([
      'not read: it is a symlink to /dev/zero: nothing under /dev is read',
    ])
    expect(messagesOf(report, 'certs/pipe.pem')).toEqual([
      'not a regular file: a named pipe (FIFO); certificates are read from regular files only',
    ])
    expect(messagesOf(report, 'certs/loop-a.pem')).toEqual([
      expect.stringMatching(/^cannot read the file: .*\(ELOOP\)$/),
    ])
    expect(report.skipped).toEqual([
      { path: 'certs/etc', reason: `symlink to /etc not followed: it leaves the tree ${join(dir, 'certs')}` },
      { path: 'certs/proc', reason: 'symlink to /proc not followed: nothing under /proc is read' },
      { path: 'certs/root', reason: `symlink to / not followed: it leaves the tree ${join(dir, 'certs')}` },
    ])
    expect(report.result).toBe('fail')
    expect(renderText(report, { color: false })).toContain(
      'left out: certs/etc (symlink to /etc not followed',
    )
  })

  test('the CLI follows a file symlink anywhere and a directory symlink inside the tree', async () => {
    const outside = tree()
    writeFileSync(join(outside, 'elsewhere.pem'), cert.pem)
    const dir = tree()
    mkdirSync(join(dir, 'certs/archive'), { recursive: true })
    writeFileSync(join(dir, 'certs/archive/cert1.pem'), cert.pem)
    symlinkSync(join(outside, 'elsewhere.pem'), join(dir, 'certs/external.pem'))
    symlinkSync('archive', join(dir, 'certs/live'))
    symlinkSync(outside, join(dir, 'certs/outside'))
    const report = await run(dir, ['certs'])
    expect(report.files.map((f) => [f.file, f.kind])).toEqual([
      ['certs/archive/cert1.pem', 'certificates'],
      ['certs/external.pem', 'certificates'],
    ])
    expect(report.skipped.map((s) => s.path)).toEqual(['certs/outside'])
  })

  test('confined to the workspace (the action), nothing resolving outside it is read', async () => {
    const outside = tree()
    writeFileSync(join(outside, 'elsewhere.pem'), cert.pem)
    const workspace = tree()
    mkdirSync(join(workspace, 'certs'))
    writeFileSync(join(workspace, 'certs/good.pem'), cert.pem)
    symlinkSync(join(outside, 'elsewhere.pem'), join(workspace, 'certs/external.pem'))
    symlinkSync(outside, join(workspace, 'deploy'))
    const report = await run(workspace, ['certs', 'deploy'], {}, workspace)
    expect(report.files.map((f) => f.file)).toEqual(['certs/external.pem', 'certs/good.pem'])
    expect(messagesOf(report, 'certs/external.pem')).toEqual([
      `not read: it is a symlink to ${join(outside, 'elsewhere.pem')}, outside the workspace`,
    ])
    expect(report.skipped).toEqual([
      { path: 'deploy', reason: `not searched: it resolves to ${outside}, outside the workspace` },
    ])
    // A path the workflow names outside the workspace is its own choice.
    const named = await run(workspace, [outside], {}, workspace)
    expect(named.files.map((f) => [f.file, f.kind])).toEqual([
      [join(outside, 'elsewhere.pem'), 'certificates'],
    ])
  })
})

describe('exclusions and skipped folders', () => {
  test('--exclude, config exclude and !GLOB leave paths out and list them; node_modules only when named', async () => {
    const dir = tree()
    for (const path of [
      'certs/a.pem',
      'certs/old/b.pem',
      'vendor/c.pem',
      'lib/vendor/d.pem',
      'node_modules/p/e.pem',
    ]) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      writeFileSync(join(dir, path), cert.pem)
    }
    writeFileSync(join(dir, '.certgate.yml'), 'exclude: [vendor]\n')
    const config = (await import('../../src/config.js')).loadConfig(dir, undefined, new Set())
    const options = resolveOptions(
      { revocation: 'off', exclude: ['certs/old/**'] },
      { inputs: ['.', '!**/d.pem'], cwd: dir, config },
    )
    expect(options.exclude).toEqual(['vendor', 'certs/old/**'])
    const report = await check(options)
    expect(report.files.map((f) => f.file)).toEqual(['certs/a.pem'])
    expect(report.skipped).toEqual([
      { path: 'certs/old', reason: 'excluded by certs/old/**' },
      { path: 'lib/vendor', reason: 'excluded by vendor' },
      { path: 'node_modules', reason: 'not searched (node_modules); name it as a path to check it' },
      { path: 'vendor', reason: 'excluded by vendor' },
    ])
    const named = await discoverFiles(['node_modules/p', 'lib/**/*.pem', '!vendor/**'], { cwd: dir })
    expect(named.files.map((f) => f.path)).toEqual([
      join(dir, 'lib/vendor/d.pem'),
      join(dir, 'node_modules/p/e.pem'),
    ])
  })

  test('a glob follows the same rules: node_modules and .git are listed, not searched', async () => {
    const dir = tree()
    for (const path of ['a/x.pem', 'node_modules/q/y.pem', '.git/z.pem']) {
      mkdirSync(join(dir, path, '..'), { recursive: true })
      writeFileSync(join(dir, path), cert.pem)
    }
    const found = await discoverFiles(['**/*.pem'], { cwd: dir })
    expect(found.files.map((f) => f.path)).toEqual([join(dir, 'a/x.pem')])
    expect(found.skipped.map((s) => s.path)).toEqual(['.git', 'node_modules'])
  })

  test('nothing left after exclusions: a usage error that names what was left out', async () => {
    const dir = tree()
    mkdirSync(join(dir, 'vendor'))
    writeFileSync(join(dir, 'vendor/a.pem'), cert.pem)
    await expect(run(dir, ['.'], { exclude: 'vendor' })).rejects.toThrow(
      /^nothing to check: no certificate files under \.; left out: vendor \(excluded by vendor\)$/,
    )
  })
})

describe('a file name that is not UTF-8', () => {
  test('is found, read by its bytes, checked, and shown with the byte escaped', async () => {
    const dir = tree()
    const name = Buffer.concat([Buffer.from(join(dir, 'caf')), Buffer.from([0xe9]), Buffer.from('.pem')])
    writeFileSync(name, cert.pem)
    const report = await run(dir, ['.'])
    expect(report.files).toEqual([expect.objectContaining({ file: 'caf\\xe9.pem', kind: 'certificates' })])
    expect(report.certificates[0]).toMatchObject({ file: 'caf\\xe9.pem', subject: 'CN=tree.example.test' })
    expect(renderSummary(report)).toContain('`caf\\xe9.pem:1`')
  })
})
