// Reading configuration files and following their includes. A configuration
// can come from a pull request, so an include is followed only inside the
// server root (never to /etc, never through a symlink that leaves it), each
// file is read once per include chain (a loop is a finding, not a hang), and
// every problem is a finding on the directive that caused it.
import { readFileSync, realpathSync, statSync } from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { globSync, isDynamicPattern } from 'tinyglobby'
import { systemTree } from '../load/discover.js'
import { displayPath } from '../load/fs-path.js'
import type { Finding } from '../model/types.js'
import type { Directive, Located, NamedFile, ServerConfig } from './model.js'
import { flagAdvice, type Advise } from '../setting-names.js'

/** Larger than any hand-written configuration; a bigger file is not one. */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024
/** nginx and Apache stop far earlier; a deeper chain is a loop through globs or a generated tree. */
const MAX_INCLUDE_DEPTH = 16

/** A configuration file's text, as read for the parsers. */
export interface SourceFile {
  /** Absolute path. */
  path: string
  /** As reports show it. */
  file: string
  text: string
}

/**
 * Why a file a configuration leads to is not read, if it is not: under
 * /proc, /sys or /dev (a read can block for ever), or outside the directory
 * the run is confined to (the action: the workspace). Takes the real path.
 */
export function readRefusal(real: string, confineTo?: string): string | undefined {
  const system = systemTree(real)
  if (system) return `it resolves to ${real}: nothing under ${system} is read`
  if (confineTo) {
    let root: string
    try {
      root = realpathSync(confineTo)
    } catch {
      root = resolve(confineTo)
    }
    const rel = relative(root, real)
    if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel))
      return `it resolves to ${real}, outside the workspace`
  }
  return undefined
}

/** State shared by one configuration's reading: where paths resolve, what was read, what went wrong. */
export class ConfigSources {
  readonly root: string
  private readonly realRoot: string | undefined
  private readonly stack: string[] = []
  readonly config: ServerConfig

  constructor(
    readonly entry: string,
    root: string,
    private readonly cwd: string,
    private readonly confineTo?: string,
    /** Names --server-root in advice the way the user can set it. */
    private readonly advise: Advise = flagAdvice,
  ) {
    this.root = resolve(root)
    try {
      this.realRoot = realpathSync(this.root)
    } catch {
      this.realRoot = undefined
    }
    const file = displayPath(entry, cwd)
    this.config = { file, files: [], blocks: [], findings: [] }
  }

  /** The directive's first argument where it stands; reported on its line when it has none. */
  argument(d: Directive): Located | undefined {
    if (d.args.length === 0) {
      this.report(d.file, d.line, `${d.name} needs an argument`)
      return undefined
    }
    return { value: d.args[0], file: d.file, line: d.line }
  }

  /**
   * An on/off directive's value (case does not matter); `alsoOn` are the
   * dialect's other words for on (Apache's SSLEngine optional). Anything
   * else is reported on its line.
   */
  onOff(d: Directive, alsoOn: readonly string[] = []): Located<boolean> | undefined {
    const value = d.args[0]?.toLowerCase()
    if (value !== 'on' && value !== 'off' && !alsoOn.includes(value ?? '')) {
      this.report(d.file, d.line, `${d.name} takes on or off, not "${d.args.join(' ')}"`)
      return undefined
    }
    return { value: value !== 'off', file: d.file, line: d.line }
  }

  /** Reports a problem on a file (by its path as shown) and line. */
  report(file: string, line: number | undefined, message: string): void {
    const finding: Finding = {
      rule: 'parse-error',
      severity: 'error',
      message,
      ...(line !== undefined ? { line } : {}),
    }
    this.config.findings.push({ file, finding })
  }

  /** The given configuration file, or undefined (with a finding) when it cannot be read. */
  readEntry(): SourceFile | undefined {
    return this.read(this.entry)
  }

  /**
   * Reads `path` unless it is already being read further up the include
   * chain; `enter`/`leave` bracket the parse of what it returns so loops are
   * seen.
   */
  read(path: string, from?: Located): SourceFile | undefined {
    const file = displayPath(path, this.cwd)
    const where = from ?? { file, line: undefined }
    let real: string
    try {
      real = realpathSync(path)
      const refusal = readRefusal(real, this.confineTo)
      if (refusal) {
        this.report(where.file, where.line, `${file} is not read: ${refusal}`)
        return undefined
      }
      const stats = statSync(real)
      if (!stats.isFile()) {
        this.report(where.file, where.line, `${file} is not a regular file`)
        return undefined
      }
      if (stats.size > MAX_CONFIG_BYTES) {
        this.report(where.file, where.line, `${file} is larger than ${MAX_CONFIG_BYTES} bytes: not read`)
        return undefined
      }
    } catch (error) {
      this.report(where.file, where.line, `cannot read ${file}: ${describeFsError(error)}`)
      return undefined
    }
    if (this.stack.includes(real)) {
      this.report(
        where.file,
        where.line,
        `include loop: ${file} includes itself through ${from?.file ?? file}`,
      )
      return undefined
    }
    if (this.stack.length >= MAX_INCLUDE_DEPTH) {
      this.report(
        where.file,
        where.line,
        `includes nested deeper than ${MAX_INCLUDE_DEPTH}: ${file} not read`,
      )
      return undefined
    }
    let text: string
    try {
      text = readFileSync(real, 'utf8')
    } catch (error) {
      this.report(where.file, where.line, `cannot read ${file}: ${describeFsError(error)}`)
      return undefined
    }
    if (!this.config.files.includes(file)) this.config.files.push(file)
    return { path: real, file, text }
  }

  /** Parses `source` with its path on the include stack. */
  within<T>(source: SourceFile, parse: () => T): T {
    this.stack.push(source.path)
    try {
      return parse()
    } finally {
      this.stack.pop()
    }
  }

  /**
   * The files an include directive names, sorted as both servers do. What
   * the server refuses to start without is a finding: a plain path that does
   * not exist unless `required` is 'never' (IncludeOptional), a glob that
   * matches nothing only when it is 'always' (Apache's Include; nginx
   * accepts an empty glob).
   */
  expandInclude(pattern: string, at: Located, required: 'always' | 'plain-path' | 'never'): string[] {
    const absolute = resolve(this.root, pattern)
    if (!this.insideRoot(absolute)) {
      this.report(
        at.file,
        at.line,
        `include ${pattern} is outside the server root ${this.root}: not followed (give ${this.advise('server-root')} to widen it)`,
      )
      return []
    }
    if (!isDynamicPattern(pattern)) {
      let isDirectory: boolean
      try {
        isDirectory = statSync(absolute).isDirectory()
      } catch {
        if (required !== 'never') this.report(at.file, at.line, `include ${pattern}: no such file`)
        return []
      }
      // Apache reads every file in a directory it is told to include.
      if (!isDirectory) return this.confined([absolute], at)
      return this.confined(globSync('*', { cwd: absolute, onlyFiles: true, absolute: true }).sort(), at)
    }
    const matches = globSync(relative(this.root, absolute).split(sep).join('/'), {
      cwd: this.root,
      onlyFiles: true,
      absolute: true,
      followSymbolicLinks: false,
    }).sort()
    if (matches.length === 0 && required === 'always')
      this.report(at.file, at.line, `include ${pattern}: no file matches`)
    return this.confined(matches, at)
  }

  /** A file a directive names (certificate, key, chain, staple), resolved against the root. */
  named(at: Located): NamedFile {
    return { ...at, path: resolve(this.root, at.value) }
  }

  private confined(paths: string[], at: Located): string[] {
    return paths.filter((path) => {
      let real: string
      try {
        real = realpathSync(path)
      } catch {
        return true // read() reports it
      }
      if (this.insideRoot(real, true)) return true
      this.report(
        at.file,
        at.line,
        `include ${displayPath(path, this.cwd)} resolves outside the server root (${real}): not followed`,
      )
      return false
    })
  }

  private insideRoot(path: string, real = false): boolean {
    const root = real ? this.realRoot : this.root
    if (root === undefined) return false
    const rel = relative(root, path)
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel))
  }
}

function describeFsError(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException
  if (code === 'ENOENT') return 'no such file'
  if (code === 'EACCES') return 'permission denied'
  return code ?? message
}
