// A file as the base commit of a pull request holds it: from git when the
// checkout has the commit, else from the REST contents API at the base SHA.
// Both the config (config-source.ts) and the files it makes trusted
// (trusted-files.ts) are read this way, so a pull request judges itself by
// nothing it can change.
import { realpathSync } from 'node:fs'
import { dirname, relative, sep } from 'node:path'
import * as github from '@actions/github'
import { UsageError } from '../options.js'
import { existingAncestor, fileAtCommit, hasCommit, repositoryRoot } from './git.js'

export interface BaseCommit {
  sha: string
  /** Where the checkout is: paths outside any repository are resolved from here. */
  cwd: string
  repo: { owner: string; repo: string }
  token: string
}

/**
 * `file` (absolute) as the base commit holds it, or null when the commit has
 * no such file. `what` names the file in an error ("the config file .certgate.yml").
 * Throws a UsageError saying how to make the commit readable when neither git
 * nor the API can answer.
 */
export async function readAtBase(base: BaseCommit, file: string, what: string): Promise<Buffer | null> {
  const root = repositoryRoot(file)
  const path = repositoryPath(root ?? base.cwd, file)
  if (root && hasCommit(root, base.sha)) return fileAtCommit(root, base.sha, path)
  const fail = (why: string) =>
    new UsageError(
      `config-source base: cannot read ${what} at the base commit ${base.sha.slice(0, 7)}: ${why}. ` +
        'Give the job `contents: read` and a github-token, fetch the base commit (actions/checkout fetch-depth: 0), or set config-source: head',
    )
  if (!base.token) throw fail('the commit is not in the checkout and there is no github-token for the API')
  try {
    const octokit = github.getOctokit(base.token)
    const { data } = await octokit.rest.repos.getContent({ ...base.repo, path, ref: base.sha })
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
      throw fail(`${path} is not a file there`)
    return Buffer.from(data.content, (data.encoding as BufferEncoding) || 'base64')
  } catch (err) {
    if (err instanceof UsageError) throw err
    const status = (err as { status?: number }).status
    if (status === 404) return null
    throw fail(`${status ? `HTTP ${status}: ` : ''}${(err as Error).message.split('\n')[0]}`)
  }
}

/** `file` relative to the repository root, '/'-separated, through symlinks in the checkout. */
export function repositoryPath(root: string, file: string): string {
  const directory = existingAncestor(dirname(file))
  const real = realpathSync(directory) + file.slice(directory.length)
  return relative(root, real).split(sep).join('/')
}
