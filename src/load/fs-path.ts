// File names are bytes. Node decodes them as UTF-8 by default and turns a
// byte that is not UTF-8 into U+FFFD, after which the name no longer opens
// (ENOENT) and the file is never checked. A path whose name is not UTF-8 is
// therefore kept as its bytes for the file system, and shown in reports with
// each such byte escaped as \xNN, so a reader can find the file.
import { isAbsolute, join, relative, sep } from 'node:path'

/** What fs calls are given: the path as a string, or its bytes when a name in it is not valid UTF-8. */
export type FsPath = string | Buffer

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

function isUtf8(bytes: Buffer): boolean {
  try {
    STRICT_UTF8.decode(bytes)
    return true
  } catch {
    return false
  }
}

/** The path of `name` (raw bytes from readdir) inside `directory`. */
export function childPath(directory: FsPath, name: Buffer): FsPath {
  if (typeof directory === 'string' && isUtf8(name)) return join(directory, name.toString('utf8'))
  return Buffer.concat([Buffer.from(directory), Buffer.from('/'), name])
}

/** UTF-8 sequence length from its lead byte (0 when the byte cannot lead one). */
const sequenceLength = (lead: number): number =>
  lead < 0x80
    ? 1
    : lead >= 0xc2 && lead < 0xe0
      ? 2
      : lead >= 0xe0 && lead < 0xf0
        ? 3
        : lead >= 0xf0 && lead < 0xf5
          ? 4
          : 0

/** The path as text: valid UTF-8 decoded, every other byte written as \xNN. */
export function shownPath(path: FsPath): string {
  if (typeof path === 'string') return path
  if (isUtf8(path)) return path.toString('utf8')
  let shown = ''
  for (let i = 0; i < path.length;) {
    const length = sequenceLength(path[i])
    const sequence = length ? path.subarray(i, i + length) : undefined
    if (sequence && sequence.length === length && isUtf8(sequence)) {
      shown += sequence.toString('utf8')
      i += length
    } else {
      shown += `\\x${path[i].toString(16).padStart(2, '0')}`
      i += 1
    }
  }
  return shown
}

/** Path shown in reports: relative to the working directory with forward slashes, absolute outside it. */
export function displayPath(absolutePath: string, cwd: string): string {
  const rel = relative(cwd, absolutePath)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return absolutePath
  return rel.split(sep).join('/')
}
