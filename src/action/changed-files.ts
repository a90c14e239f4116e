// changed-only: on a pull request, the files it adds or modifies, listed
// through the REST API ("List pull requests files", paginated; GITHUB_API_URL
// is honoured by @actions/github, so GitHub Enterprise Server works). The API
// names files relative to the repository root; a file found on disk is
// matched by its real path, so a checkout in a subfolder, `./`, an absolute
// path or a symlink in `files` all find it. When the list cannot be had, or
// it changes certificate files none of which was found, every file is
// checked: a gate that checks more than asked is safe, one that silently
// checks less is not.
import { realpathSync } from 'node:fs'
import { join, resolve } from 'node:path'
import * as github from '@actions/github'
import picomatch from 'picomatch'
import { CERTIFICATE_FILE } from '../load/discover.js'
import type { FileScope, ScopedFile } from '../scope.js'
import { repositoryRoot } from './git.js'

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

/** The REST API lists at most 3,000 files of a pull request; past that the list is not the whole change. */
const API_FILE_LIMIT = 3000

export type ChangedScope = { scope: FileScope } | { fallback: string }

export interface PullRequestContext {
  eventName: string
  /** The event payload (GITHUB_EVENT_PATH). */
  payload: { pull_request?: { number?: number } }
  repo: { owner: string; repo: string }
  token: string
  /** Real paths of the repository roots the checked files may sit in (`git rev-parse --show-toplevel`). */
  roots: readonly string[]
}

/**
 * The scope of a pull request's changed files: added, modified, renamed
 * (under the new name) and copied ones; removed files have nothing to check.
 */
export async function changedFilesScope(ctx: PullRequestContext): Promise<ChangedScope> {
  if (!PULL_REQUEST_EVENTS.has(ctx.eventName)) {
    return { fallback: `changed-only applies to pull requests; this is a ${ctx.eventName || 'local'} run` }
  }
  const number = ctx.payload.pull_request?.number
  if (!number) return { fallback: 'the event payload names no pull request' }
  if (!ctx.token) return { fallback: 'no github-token to list the pull request files with' }

  let files: { filename: string; status: string }[]
  try {
    const octokit = github.getOctokit(ctx.token)
    files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: ctx.repo.owner,
      repo: ctx.repo.repo,
      pull_number: number,
      per_page: 100,
    })
  } catch (err) {
    const status = (err as { status?: number }).status
    return {
      fallback: `could not list the files of pull request #${number} (${status ? `HTTP ${status}: ` : ''}${(err as Error).message.split('\n')[0]})`,
    }
  }
  if (files.length >= API_FILE_LIMIT) {
    return {
      fallback: `pull request #${number} changes ${API_FILE_LIMIT} files or more, more than the API lists`,
    }
  }
  const changed = files.filter((f) => f.status !== 'removed').map((f) => f.filename)
  return { scope: changedScope(number, changed, ctx.roots) }
}

/** Files whose real path is a changed name under one of the roots (itself, or what a changed symlink points to). */
function changedScope(number: number, changed: readonly string[], roots: readonly string[]): FileScope {
  const paths = new Set<string>()
  for (const root of roots) {
    for (const name of changed) {
      const path = join(root, name)
      paths.add(path)
      try {
        paths.add(realpathSync(path))
      } catch {
        // Not in the checkout (or not under this root): only its own name can match.
      }
    }
  }
  const includes = (file: ScopedFile) => file.realPath !== undefined && paths.has(file.realPath)
  const certificates = changed.filter((name) => CERTIFICATE_FILE.test(name))
  return {
    label: `files changed by pull request #${number}`,
    includes,
    includesEndpoint: () => true,
    widen: (found) => {
      if (certificates.length === 0 || found.some(includes)) return undefined
      const named = certificates.slice(0, 5).join(', ') + (certificates.length > 5 ? ', …' : '')
      return {
        reason:
          `pull request #${number} changes ${certificates.length} certificate file${certificates.length === 1 ? '' : 's'} ` +
          `(${named}) and none of them is among the files found, so every file was checked`,
      }
    },
  }
}

/**
 * The repositories the inputs lie in: the workspace's, and each input's
 * (a checkout in a subfolder is its own repository). Without git, the
 * workspace is taken as the repository root.
 */
export function repositoryRoots(cwd: string, inputs: readonly string[]): string[] {
  const directories = new Set([cwd])
  for (const input of inputs.filter((i) => !i.startsWith('!'))) {
    directories.add(resolve(cwd, picomatch.scan(input).base || '.'))
  }
  const roots = new Set<string>()
  for (const directory of directories) {
    const root = repositoryRoot(directory)
    if (root) roots.add(root)
  }
  return roots.size ? [...roots] : [realpathSync(cwd)]
}
