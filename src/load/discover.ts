import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'

/** The file names DESIGN.md lists for directory searches (any case: Windows exports write .CER, .P7B). */
export const CERTIFICATE_FILE = /\.(pem|crt|cer|der|p7b|p7c|ocsp|der-staple)$/i

/** Never certificates the repository owns, and large: walking them only costs time. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git'])

export interface Discovery {
  /** Absolute paths, one per distinct file on disk, sorted. */
  files: string[]
  /** Inputs that matched no file. */
  missing: string[]
}

/** Files found so far, keyed by real path so a file reached through symlinks is loaded once. */
type Found = Map<string, string>

/**
 * Expands the command line's inputs into the files to load. An input is a
 * file (taken whatever its name), a directory (searched recursively for
 * certificate file names, skipping node_modules and .git) or a glob. Files
 * reached twice (symlinks, overlapping inputs) are kept once, and symlink
 * loops end because each real directory is walked once per input. The result
 * is sorted so reports do not depend on directory order.
 */
export async function discoverFiles(inputs: string[], cwd: string): Promise<Discovery> {
  const found: Found = new Map()
  const missing: string[] = []
  for (const input of inputs) {
    const search = new InputSearch(found)
    await search.input(input, cwd)
    if (search.matches === 0) missing.push(input)
  }
  return { files: [...found.values()].sort(), missing }
}

/** The search for one input: counts its matches, including files another input already found. */
class InputSearch {
  matches = 0
  private readonly walked = new Set<string>()

  constructor(private readonly found: Found) {}

  async input(input: string, cwd: string): Promise<void> {
    const absolute = resolve(cwd, input)
    const target = await stat(absolute).catch(() => undefined)
    if (target) return this.path(absolute, target.isDirectory())
    if (!isDynamicPattern(input)) return
    const matches = await glob(input, {
      cwd,
      absolute: true,
      onlyFiles: false,
      expandDirectories: false,
      ignore: [...SKIPPED_DIRECTORIES].map((name) => `**/${name}/**`),
    })
    for (const match of matches) {
      const matchStat = await stat(match).catch(() => undefined)
      if (matchStat) await this.path(match.replace(/\/$/, ''), matchStat.isDirectory())
    }
  }

  private async path(absolute: string, isDirectory: boolean): Promise<void> {
    const real = await realpath(absolute).catch(() => absolute)
    if (isDirectory) return this.walk(absolute, real)
    this.keep(real, absolute)
  }

  private async walk(directory: string, real: string): Promise<void> {
    if (this.walked.has(real)) return
    this.walked.add(real)
    // An unreadable subdirectory is skipped; the files that can be read are still checked.
    const entries: Dirent[] = await readdir(directory, { withFileTypes: true }).catch(() => [])
    await Promise.all(
      entries.map(async (entry) => {
        const path = join(directory, entry.name)
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name)) await this.walk(path, join(real, entry.name))
        } else if (entry.isSymbolicLink()) {
          const target = await stat(path).catch(() => undefined)
          if (target?.isDirectory()) {
            if (!SKIPPED_DIRECTORIES.has(entry.name)) await this.walk(path, await realpath(path))
          } else if (CERTIFICATE_FILE.test(entry.name)) {
            // A dangling link or a link loop named like a certificate is kept so the
            // loader reports it unreadable: a deploy would ship it broken, the gate must not pass it silently.
            this.keep(target ? await realpath(path) : path, path)
          }
        } else if (CERTIFICATE_FILE.test(entry.name)) {
          // FIFOs and sockets too: the loader reports them instead of reading them.
          this.keep(join(real, entry.name), path)
        }
      }),
    )
  }

  /**
   * Prefers the path that is not a symlink, then the shortest, so the name in
   * reports is the stable one whatever order the file was reached in.
   */
  private keep(real: string, path: string): void {
    this.matches++
    const current = this.found.get(real)
    if (current === undefined || preferred(path, current, real)) this.found.set(real, path)
  }
}

function preferred(path: string, current: string, real: string): boolean {
  if ((path === real) !== (current === real)) return path === real
  if (path.length !== current.length) return path.length < current.length
  return path < current
}
