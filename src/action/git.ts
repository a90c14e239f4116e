// The few git questions the action asks of the checkout: where a repository
// starts, whether a commit is present (a shallow clone may not have the
// base), and a file as a commit holds it. Every answer may be "don't know";
// callers fall back to the REST API or say why.
import { execFileSync } from 'node:child_process'
import { existsSync, realpathSync, statSync } from 'node:fs'
import { dirname } from 'node:path'

/** A git command's output; it throws when git is missing, the directory is no repository, or the answer is no. */
function git(cwd: string, args: string[]): Buffer {
  return execFileSync('git', ['-C', cwd, ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    maxBuffer: 16 * 1024 * 1024,
  })
}

/** The nearest ancestor of `path` (itself included) that exists: a config or input may be missing. */
export function existingAncestor(path: string): string {
  let current = path
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current)
  return current
}

/** The real path of the repository holding `path` (`git rev-parse --show-toplevel`), if any. */
export function repositoryRoot(path: string): string | undefined {
  const existing = existingAncestor(path)
  const directory = statSync(existing).isDirectory() ? existing : dirname(existing)
  try {
    return realpathSync(git(directory, ['rev-parse', '--show-toplevel']).toString('utf8').trim())
  } catch {
    return undefined
  }
}

/** True when the commit's objects are in the checkout. */
export function hasCommit(root: string, sha: string): boolean {
  try {
    git(root, ['cat-file', '-e', `${sha}^{commit}`])
    return true
  } catch {
    return false
  }
}

/** The file at `path` (relative to the root, '/'-separated) in `sha`, or null when the commit has no such file. */
export function fileAtCommit(root: string, sha: string, path: string): Buffer | null {
  try {
    git(root, ['cat-file', '-e', `${sha}:${path}`])
  } catch {
    return null
  }
  return git(root, ['show', `${sha}:${path}`])
}
