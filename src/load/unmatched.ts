// Why inputs matched no file, in words the user can act on: an existing
// directory that holds no certificate files is not "no such file", and a
// stored OCSP response is named by the option or input that gave it.
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CERTIFICATE_FILE } from './discover.js'

/** The names a directory search takes, as a user would type them: *.pem, *.crt, … */
const SEARCHED_NAMES = (/\((.*)\)/.exec(CERTIFICATE_FILE.source)?.[1] ?? '')
  .split('|')
  .map((extension) => `*.${extension}`)
  .join(' ')

export async function describeUnmatched(
  missing: readonly string[],
  context: { cwd: string; staples: readonly string[]; stapleOption: string },
): Promise<string> {
  const reasons: string[] = []
  const absent: string[] = []
  for (const input of missing) {
    const isDirectory = (await stat(resolve(context.cwd, input)).catch(() => undefined))?.isDirectory()
    const empty = `${input} is a directory with no certificate files in it (${SEARCHED_NAMES})`
    if (context.staples.includes(input)) {
      reasons.push(`${context.stapleOption}: ${isDirectory ? empty : `no such file: ${input}`}`)
    } else if (isDirectory) reasons.push(empty)
    else absent.push(input)
  }
  if (absent.length) reasons.push(`no such file, directory or matching glob: ${absent.join(', ')}`)
  return reasons.join('; ')
}
