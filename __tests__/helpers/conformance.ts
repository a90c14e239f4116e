// Conformance vectors from other projects (x509-limbo, pyca, Go) live beside
// the repository in ../shared/conformance, not in it. .ci/run copies them into
// __tests__/fixtures/conformance/ (gitignored) before the tests run; tests read
// them only there, so no test reads outside the repository, and a clone
// without them skips those cases with the reason shown.
import { existsSync } from 'node:fs'
import { join } from 'node:path'

export const CONFORMANCE_DIR = join(process.cwd(), '__tests__', 'fixtures', 'conformance')

/** The folder of one vector set (x509-limbo, pyca-cryptography, golang-x-crypto-ocsp), or undefined when absent. */
export function conformanceVectors(set: string): string | undefined {
  const dir = join(CONFORMANCE_DIR, set)
  return existsSync(dir) ? dir : undefined
}

/** Why conformance cases are skipped in a clone without the vectors. */
export const CONFORMANCE_ABSENT =
  'conformance vectors absent: bash .ci/run copies ../shared/conformance into __tests__/fixtures/conformance/'
