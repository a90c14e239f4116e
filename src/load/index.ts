import { ITEMS_PER_TURN, nextTurn } from '../event-loop.js'
import { loadFile } from './file.js'
import type { DiscoveredFile, LoadedFile } from './types.js'

export { discoverFiles } from './discover.js'
export type { Discovery } from './discover.js'
export { loadFile, MAX_FILE_BYTES, readCapped } from './file.js'
export type { DiscoveredFile, LoadedBlob, LoadedFile, SkippedPath } from './types.js'

/**
 * Loads every file once, in input order. `onLoaded` is called as each file
 * completes (for progress output). Reading is synchronous (see readCapped in
 * file.ts): every ITEMS_PER_TURN files the event loop gets a turn, so timers
 * and sockets of concurrent work (endpoint probes, revocation requests started
 * early) are never starved
 * for longer than a batch. Never rejects for bad input: loadFile turns every
 * problem into a finding on its file.
 */
export async function loadFiles(
  files: readonly (DiscoveredFile | string)[],
  cwd: string,
  onLoaded?: (file: LoadedFile) => void,
): Promise<LoadedFile[]> {
  const results: LoadedFile[] = []
  for (const discovered of files) {
    if (results.length % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn()
    const file = await loadFile(discovered, cwd)
    results.push(file)
    onLoaded?.(file)
  }
  return results
}
