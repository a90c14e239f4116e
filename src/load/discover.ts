// Inputs (files, directories, globs) to the files to load. The tree being
// searched may be a pull request's: a symlink in it can point anywhere
// (`/`, `/etc`, `/proc/kmsg`), so what is followed is decided here, once,
// and everything left out is named in `skipped` instead of vanishing.
import type { Dirent } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import picomatch from 'picomatch'
import { isDynamicPattern } from 'tinyglobby'
import { childPath, displayPath, shownPath, type FsPath } from './fs-path.js'
import type { DiscoveredFile, SkippedPath } from './types.js'

/** The file names DESIGN.md lists for directory searches (any case: Windows exports write .CER, .P7B). */
export const CERTIFICATE_FILE = /\.(pem|crt|cer|der|p7b|p7c|ocsp|der-staple)$/i

/** Never certificates the repository owns, and large: walked only when an input names them. */
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git'])

/**
 * Kernel and device file systems: a read there can block for ever
 * (/proc/kmsg, a tty), never end (/dev/zero) or hand out the runner's
 * secrets (/proc/self/environ). Nothing whose real path is inside is read.
 */
const SYSTEM_TREES = ['/proc', '/sys', '/dev']

export interface DiscoverOptions {
  cwd: string
  /** Globs of paths not to load (relative to cwd; one without a slash matches a name at any depth). */
  exclude?: readonly string[]
  /** Nothing reached through a symlink may resolve outside this directory (the action: GITHUB_WORKSPACE). */
  confineTo?: string
}

export interface Discovery {
  /** One per distinct file on disk, sorted by path. */
  files: DiscoveredFile[]
  /** Inputs that matched nothing. */
  missing: string[]
  /** Every directory or file left out (excluded, node_modules, symlinks leaving the tree), sorted by path. */
  skipped: SkippedPath[]
}

/**
 * Expands inputs into the files to load. An input is a file (taken whatever
 * its name), a directory (searched recursively for certificate file names)
 * or a glob; `!GLOB` excludes. Symlinks: a file symlink is followed, a
 * directory symlink only when it stays inside the tree of its input, and
 * with `confineTo` nothing resolving outside that directory is read; nothing
 * under /proc, /sys or /dev ever is. A file refused that way is still
 * returned, with its refusal, so it is reported rather than passed over.
 */
export async function discoverFiles(inputs: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const excludes = [
    ...(options.exclude ?? []),
    ...inputs.filter((i) => i.startsWith('!')).map((i) => i.slice(1)),
  ]
  const confineTo = options.confineTo
  const confine = confineTo
    ? { as: resolve(confineTo), real: shownPath(await realpath(confineTo, { encoding: 'buffer' })) }
    : undefined
  const run = new Search(options, excludes, confine)
  const missing: string[] = []
  for (const input of inputs.filter((i) => !i.startsWith('!'))) {
    const before = run.found
    await run.input(input)
    if (run.found === before) missing.push(input)
  }
  return {
    files: [...run.files.values()].sort((a, b) => compare(a.path, b.path)),
    missing,
    skipped: [...run.skipped.values()].sort((a, b) => compare(a.path, b.path)),
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

/** Which entries of a walk are taken: certificate names under a directory, or what a glob matches. */
interface Walk {
  /** Real path of the input's tree: directory symlinks must stay inside it. */
  tree: string
  /** Real path nothing may resolve outside of, when confined. */
  confine?: string
  /** Directories named like node_modules that this input names, and so searches. */
  named: ReadonlySet<string>
  glob?: GlobFilter
}

interface GlobFilter {
  matches: (path: string) => boolean
  /** The base as the user wrote it, '' for cwd: matched paths are `base/relative`. */
  base: string
  baseAbsolute: string
  /** Deepest level below the base a match can sit at (Infinity with ** or braces, which may hold a slash). */
  depth: number
}

const inside = (path: string, root: string) =>
  path === root || path.startsWith(root === '/' ? root : root + '/')

class Search {
  readonly files = new Map<string, DiscoveredFile>()
  readonly skipped = new Map<string, SkippedPath>()
  /** Files and skipped entries found so far, over all inputs: an input that adds none matched nothing. */
  found = 0
  /** Real directories this input walked, with the mode they were walked in, so symlink loops end. */
  private walked = new Set<string>()
  private readonly excluded: { pattern: string; matches: (path: string) => boolean }[]
  constructor(
    private readonly options: DiscoverOptions,
    excludes: string[],
    /** The confining directory as given and as its real path. */
    private readonly confine?: { as: string; real: string },
  ) {
    this.excluded = excludes.map((pattern) => {
      const clean = pattern.replace(/^\.\//, '').replace(/\/+$/, '')
      return { pattern, matches: picomatch(clean, { dot: true, basename: !clean.includes('/') }) }
    })
  }

  async input(input: string): Promise<void> {
    this.walked = new Set()
    const absolute = resolve(this.options.cwd, input)
    const target = await stat(absolute).catch(() => undefined)
    const named = new Set(input.split(/[/\\]/).filter((segment) => SKIPPED_DIRECTORIES.has(segment)))
    if (target) return this.start(absolute, target.isDirectory(), named)
    if (!isDynamicPattern(input)) return
    const scan = picomatch.scan(input)
    const base = scan.base
    const baseAbsolute = resolve(this.options.cwd, base || '.')
    const baseStat = await stat(baseAbsolute).catch(() => undefined)
    if (!baseStat?.isDirectory()) return
    const pattern = input.slice(scan.start)
    const glob: GlobFilter = {
      matches: picomatch(pattern),
      base,
      baseAbsolute,
      depth: /\*\*|\{/.test(pattern) ? Infinity : scan.glob.split('/').length,
    }
    await this.start(baseAbsolute, true, named, glob)
  }

  /** An input path (or a glob's base): judged like a symlink's target, since it may be one. */
  private async start(absolute: string, isDirectory: boolean, named: Set<string>, glob?: GlobFilter) {
    const excludedBy = glob ? undefined : this.exclusion(absolute)
    if (excludedBy) return this.skip(absolute, `excluded by ${excludedBy}`)
    const real = await this.realPath(absolute)
    if (real === undefined) return
    const system = systemTree(real)
    // A path the workflow names outside the workspace is its own choice, and becomes the boundary of
    // its tree; inside the workspace, where a pull request controls the symlinks, the workspace is.
    const confine = !this.confine
      ? undefined
      : inside(absolute, this.confine.as) || inside(absolute, this.confine.real)
        ? this.confine.real
        : real
    const refusal = system
      ? `it resolves to ${real}: nothing under ${system} is read`
      : confine && !inside(real, confine)
        ? `it resolves to ${real}, outside the workspace`
        : undefined
    if (isDirectory) {
      if (refusal) return this.skip(absolute, `not searched: ${refusal}`)
      return this.walk(absolute, real, { tree: real, confine, named, glob }, false)
    }
    this.keep(absolute, real, refusal)
  }

  private async walk(directory: FsPath, real: string, walk: Walk, takeAll: boolean): Promise<void> {
    const key = `${takeAll || !walk.glob ? 'all' : 'glob'}:${real}`
    if (this.walked.has(key)) return
    this.walked.add(key)
    let entries: Dirent<Buffer>[]
    try {
      entries = await readdir(directory, { withFileTypes: true, encoding: 'buffer' })
    } catch (error) {
      // Unreadable, or gone since it was listed: said, and the rest is still searched.
      return this.skip(
        shownPath(directory),
        `cannot be read (${(error as NodeJS.ErrnoException).code ?? error})`,
      )
    }
    await Promise.all(entries.map((entry) => this.entry(directory, real, entry, walk, takeAll)))
  }

  private async entry(
    directory: FsPath,
    realDirectory: string,
    entry: Dirent<Buffer>,
    walk: Walk,
    takeAll: boolean,
  ) {
    const path = childPath(directory, entry.name)
    const shown = shownPath(path)
    const name = shownPath(entry.name)
    const excludedBy = this.exclusion(shown)
    if (excludedBy) return this.skip(shown, `excluded by ${excludedBy}`)
    const globbed = walk.glob && !takeAll ? globPath(walk.glob, shown) : undefined
    const wanted = (isDirectory: boolean) =>
      isDirectory
        ? !walk.glob || takeAll || walk.glob.matches(globbed!) || depthOf(walk.glob, shown) < walk.glob.depth
        : walk.glob && !takeAll
          ? walk.glob.matches(globbed!)
          : CERTIFICATE_FILE.test(name)
    const takesAllBelow = (isDirectory: boolean) =>
      isDirectory && (takeAll || !walk.glob || walk.glob.matches(globbed!))

    if (entry.isDirectory()) {
      if (!wanted(true)) return
      if (SKIPPED_DIRECTORIES.has(name) && !walk.named.has(name)) {
        return this.skip(shown, `not searched (${name}); name it as a path to check it`)
      }
      return this.walk(
        path,
        `${realDirectory === '/' ? '' : realDirectory}/${name}`,
        walk,
        takesAllBelow(true),
      )
    }
    if (!entry.isSymbolicLink()) {
      // FIFOs, sockets and devices too: the loader reports them without reading them.
      if (wanted(false)) this.keep(path, `${realDirectory === '/' ? '' : realDirectory}/${name}`)
      return
    }
    const target = await stat(path).catch(() => undefined)
    const isDirectory = target?.isDirectory() ?? false
    if (!wanted(isDirectory)) return
    const real = target ? await this.realPath(path) : undefined
    if (real === undefined) {
      // A dangling link or a loop named like a certificate: the loader says it cannot be read.
      if (!isDirectory) this.keep(path, shown)
      return
    }
    const system = systemTree(real)
    const outside = walk.confine && !inside(real, walk.confine)
    if (!isDirectory) {
      const refusal = system
        ? `it is a symlink to ${real}: nothing under ${system} is read`
        : outside
          ? `it is a symlink to ${real}, outside the workspace`
          : undefined
      return this.keep(path, real, refusal)
    }
    if (SKIPPED_DIRECTORIES.has(name) && !walk.named.has(name)) {
      return this.skip(shown, `not searched (${name}); name it as a path to check it`)
    }
    if (system) return this.skip(shown, `symlink to ${real} not followed: nothing under ${system} is read`)
    if (outside) return this.skip(shown, `symlink to ${real} not followed: it leaves the workspace`)
    if (!inside(real, walk.tree)) {
      return this.skip(shown, `symlink to ${real} not followed: it leaves the tree ${walk.tree}`)
    }
    return this.walk(path, real, walk, takesAllBelow(true))
  }

  private async realPath(path: FsPath): Promise<string | undefined> {
    try {
      return shownPath(await realpath(path, { encoding: 'buffer' }))
    } catch {
      return undefined
    }
  }

  /** The first exclude pattern matching the path (relative to cwd, or absolute), if any. */
  private exclusion(shown: string): string | undefined {
    if (this.excluded.length === 0) return undefined
    const relativePath = relative(this.options.cwd, shown).split(sep).join('/')
    return this.excluded.find((e) => e.matches(relativePath) || e.matches(shown))?.pattern
  }

  private skip(shown: string, reason: string): void {
    this.found++
    const path = displayPath(shown, this.options.cwd)
    if (!this.skipped.has(path)) this.skipped.set(path, { path, reason })
  }

  /**
   * Prefers the path that is not a symlink, then the shortest, so the name in
   * reports is the stable one whatever order the file was reached in.
   */
  private keep(path: FsPath, real: string, refusal?: string): void {
    this.found++
    const shown = shownPath(path)
    const current = this.files.get(real)
    if (current === undefined || preferred(shown, current.path, real)) {
      this.files.set(real, { path: shown, fsPath: path, realPath: real, ...(refusal ? { refusal } : {}) })
    }
  }
}

/** The kernel or device tree (/proc, /sys, /dev) a real path is in, if any: nothing there is read. */
export function systemTree(real: string): string | undefined {
  return SYSTEM_TREES.find((tree) => inside(real, tree))
}

/** A path under a glob's base, spelled as the glob is: `base/relative`. */
function globPath(glob: GlobFilter, shown: string): string {
  const below = relative(glob.baseAbsolute, shown).split(sep).join('/')
  return glob.base ? `${glob.base.replace(/\/$/, '')}/${below}` : below
}

function depthOf(glob: GlobFilter, shown: string): number {
  return relative(glob.baseAbsolute, shown).split(sep).length
}

function preferred(path: string, current: string, real: string): boolean {
  if ((path === real) !== (current === real)) return path === real
  if (path.length !== current.length) return path.length < current.length
  return path < current
}
