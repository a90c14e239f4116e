import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { discoverFiles, type DiscoverOptions } from '../../src/load/discover.js'
import { tempDir } from '../helpers/pki.js'

let root: string

/** A repository-like tree: nested certificate files, other files, skipped folders, symlinks and a loop. */
beforeAll(() => {
  root = tempDir('certgate-discover-')
  const files = [
    'certs/site.pem',
    'certs/deep/er/chain.CRT',
    'certs/deep/intermediate.cer',
    'certs/legacy.der',
    'certs/bundle.P7B',
    'certs/bundle2.p7c',
    'staples/site.ocsp',
    'staples/site.der-staple',
    'certs/README.md',
    'certs/site.key',
    'x.pem/inside.crt',
    'node_modules/pkg/test.pem',
    '.git/objects/leak.pem',
    'other/only.txt',
  ]
  for (const file of files) {
    mkdirSync(join(root, file, '..'), { recursive: true })
    writeFileSync(join(root, file), file)
  }
  symlinkSync('..', join(root, 'certs/deep/loop'))
  symlinkSync('site.pem', join(root, 'certs/alias.pem'))
  symlinkSync(join(root, 'certs'), join(root, 'linked-certs'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const abs = (...paths: string[]) => paths.map((p) => join(root, p))

/** What a test compares: the paths found, the inputs missing and the paths left out. */
async function discover(inputs: string[], options: Partial<DiscoverOptions> = {}) {
  const { files, missing, skipped } = await discoverFiles(inputs, { cwd: root, ...options })
  return { files: files.map((f) => f.path), missing, skipped: skipped.map((s) => s.path) }
}

describe('discoverFiles', () => {
  it('walks a tree for certificate names in any case, once per real file, sorted', async () => {
    const result = await discover(['.'])
    expect(result).toEqual({
      files: abs(
        'certs/bundle.P7B',
        'certs/bundle2.p7c',
        'certs/deep/er/chain.CRT',
        'certs/deep/intermediate.cer',
        'certs/legacy.der',
        'certs/site.pem',
        'staples/site.der-staple',
        'staples/site.ocsp',
        'x.pem/inside.crt',
      ),
      missing: [],
      skipped: ['.git', 'node_modules'],
    })
  })

  it('searches a directory named like a certificate instead of reading it', async () => {
    expect(await discover(['x.pem'])).toEqual({ files: abs('x.pem/inside.crt'), missing: [], skipped: [] })
  })

  it('takes an explicit file whatever its name, and keeps duplicates through symlinks once', async () => {
    const result = await discover([
      'certs/site.key',
      'certs/alias.pem',
      'linked-certs/site.pem',
      'certs/site.pem',
    ])
    expect(result).toEqual({ files: abs('certs/site.key', 'certs/site.pem'), missing: [], skipped: [] })
  })

  it('expands globs, searching the directories they match (following the loop link out once)', async () => {
    const result = await discover(['staples/*.ocsp', 'certs/dee*'])
    // certs/deep/loop points back at certs/: its files are reached through it once and the walk ends.
    expect(result.files).toEqual(
      abs(
        'certs/deep/er/chain.CRT',
        'certs/deep/intermediate.cer',
        'certs/deep/loop/bundle.P7B',
        'certs/deep/loop/bundle2.p7c',
        'certs/deep/loop/legacy.der',
        'certs/deep/loop/site.pem',
        'staples/site.ocsp',
      ),
    )
    expect(result.missing).toEqual([])
  })

  it('puts inputs that match nothing in missing, and still returns the rest', async () => {
    const result = await discover(['nope.pem', 'certs/*.nothing', 'other', 'staples/site.ocsp'])
    expect(result).toEqual({
      files: abs('staples/site.ocsp'),
      missing: ['nope.pem', 'certs/*.nothing', 'other'],
      skipped: [],
    })
  })

  it('accepts absolute inputs and counts an input as found even when an earlier one found the same files', async () => {
    const result = await discover([join(root, 'staples'), 'staples'])
    expect(result).toEqual({
      files: abs('staples/site.der-staple', 'staples/site.ocsp'),
      missing: [],
      skipped: [],
    })
  })
})
