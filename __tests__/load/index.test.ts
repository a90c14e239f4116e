import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { loadFiles } from '../../src/load/index.js'
import type { LoadedFile } from '../../src/load/types.js'
import { type Issued, issue, tempDir } from '../helpers/pki.js'

let dir: string
let certs: Issued[]

beforeAll(async () => {
  dir = tempDir('certgate-loadfiles-')
  certs = await Promise.all([0, 1, 2].map((i) => issue({ cn: `bulk${i}.test` })))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('loadFiles', () => {
  it('loads many files in input order, reporting each as it completes', async () => {
    // More files than run at once, with bad ones mixed in, so order must survive out-of-order completion.
    const paths = Array.from({ length: 300 }, (_, i) => {
      const path = join(dir, `f${String(i).padStart(3, '0')}.pem`)
      writeFileSync(path, i % 7 === 0 ? 'garbage' : certs[i % 3].pem)
      return path
    })
    const seen: string[] = []
    const loaded = await loadFiles(paths, dir, (f: LoadedFile) => seen.push(f.file))
    expect(loaded.map((f) => f.absolutePath)).toEqual(paths)
    expect(seen.sort()).toEqual(loaded.map((f) => f.file).sort())
    loaded.forEach((f, i) => {
      if (i % 7 === 0) expect(f.kind).toBe('unreadable')
      else expect(f.certs.map((c) => c.sha256)).toEqual([certs[i % 3].model.sha256])
    })
  })

  it('gives the event loop turns while loading, so concurrent probes are not starved', async () => {
    const paths = Array.from({ length: 200 }, (_, i) => {
      const path = join(dir, `turn${String(i).padStart(3, '0')}.pem`)
      writeFileSync(path, certs[i % 3].pem)
      return path
    })
    let turns = 0
    const count = () => {
      turns++
      if (turns < 1000) setImmediate(count)
    }
    setImmediate(count)
    const turnsAtFile: number[] = []
    await loadFiles(paths, dir, () => turnsAtFile.push(turns))
    // The loop ran between the first and the last file, more than once.
    expect(turnsAtFile[turnsAtFile.length - 1] - turnsAtFile[0]).toBeGreaterThan(1)
  })

  it('returns an empty list for no input', async () => {
    expect(await loadFiles([], dir)).toEqual([])
  })
})
