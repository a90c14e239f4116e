import { loadFile } from './file.js'
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
      results[position] = await loadFile(absolutePaths[position], cwd)
      onLoaded?.(results[position])
    }
  }
  await Promise.all(Array.from({ length: Math.min(FILES_IN_FLIGHT, absolutePaths.length) }, worker))
  return results
}
