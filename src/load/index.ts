import { stat } from 'node:fs/promises'
import { displayPath, loadFile } from './file.js'
import type { LoadedFile } from './types.js'

export { discoverFiles } from './discover.js'
export { loadFile, MAX_FILE_BYTES } from './file.js'
export type { LoadedBlob, LoadedFile } from './types.js'

/** Files read and parsed at once: enough to keep the disk busy, few enough to stay clear of EMFILE. */
const FILES_IN_FLIGHT = 32

/**
 * Loads every file once, at most FILES_IN_FLIGHT at a time, and returns the
 * results in input order whatever order they finish in. `onLoaded` is called
 * as each file completes (for progress output). Never rejects for bad input:
 * loadFile turns every problem into a finding on its file.
 */
export async function loadFiles(
  absolutePaths: string[],
  cwd: string,
  onLoaded?: (file: LoadedFile) => void,
): Promise<LoadedFile[]> {
  const results = new Array<LoadedFile>(absolutePaths.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < absolutePaths.length) {
      const position = next++
      const path = absolutePaths[position]
      results[position] = (await notRegularFile(path, cwd)) ?? (await loadFile(path, cwd))
      onLoaded?.(results[position])
    }
  }
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, absolutePaths.length) }, worker))
  return results
}

/**
 * A FIFO, socket or device named like a certificate: reading it could block
 * the run forever (a FIFO without a writer) or never end (/dev/zero), so it
 * is reported unreadable without being opened.
 */
async function notRegularFile(absolutePath: string, cwd: string): Promise<LoadedFile | undefined> {
  const found = await stat(absolutePath).catch(() => undefined)
  if (!found || found.isFile()) return undefined
  const what = found.isFIFO()
    ? 'a named pipe (FIFO)'
    : found.isSocket()
      ? 'a socket'
      : found.isDirectory()
        ? 'a directory'
        : 'a device'
  return {
    file: displayPath(absolutePath, cwd),
    absolutePath,
    kind: 'unreadable',
    certs: [],
    ocspResponses: [],
    crls: [],
    findings: [
      {
        rule: 'parse-error',
        severity: 'error',
        message: `not a regular file: ${what}; certificates are read from regular files only`,
        line: 1,
      },
    ],
  }
}
