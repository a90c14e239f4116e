import { statSync, type Stats } from 'node:fs'
import { displayPath, loadFile } from './file.js'
import type { LoadedFile } from './types.js'

export { discoverFiles } from './discover.js'
export { loadFile, MAX_FILE_BYTES } from './file.js'
export type { LoadedBlob, LoadedFile } from './types.js'

/** Files loaded between turns of the event loop: reading is synchronous, and endpoint probes run meanwhile. */
const FILES_PER_TURN = 64

/**
 * Loads every file once, in input order. `onLoaded` is called as each file
 * completes (for progress output). Reading is synchronous (see readCapped in
 * file.ts): every FILES_PER_TURN files the event loop gets a turn, so timers
 * and sockets of concurrent work (live endpoint probes) are never starved
 * for longer than a batch. Never rejects for bad input: loadFile turns every
 * problem into a finding on its file.
 */
export async function loadFiles(
  absolutePaths: string[],
  cwd: string,
  onLoaded?: (file: LoadedFile) => void,
): Promise<LoadedFile[]> {
  const results: LoadedFile[] = []
  for (const path of absolutePaths) {
    if (results.length % FILES_PER_TURN === FILES_PER_TURN - 1) await new Promise(setImmediate)
    const file = notRegularFile(path, cwd) ?? (await loadFile(path, cwd))
    results.push(file)
    onLoaded?.(file)
  }
  return results
}

/**
 * A FIFO, socket or device named like a certificate: reading it could block
 * the run forever (a FIFO without a writer) or never end (/dev/zero), so it
 * is reported unreadable without being opened.
 */
function notRegularFile(absolutePath: string, cwd: string): LoadedFile | undefined {
  let found: Stats
  try {
    found = statSync(absolutePath)
  } catch {
    // Missing or unreadable: loadFile says why.
    return undefined
  }
  if (found.isFile()) return undefined
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
