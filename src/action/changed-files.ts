// changed-only: on a pull request, the files it adds or modifies, listed
// through the REST API ("List pull requests files", paginated; GITHUB_API_URL
// is honoured by @actions/github, so GitHub Enterprise Server works). When
// that list cannot be had, every file is checked: a gate that checks more
// than asked is safe, one that silently checks less is not.
import * as github from '@actions/github'
import type { FileScope } from '../scope.js'
import { listScope } from '../scope.js'

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
  return { scope: listScope(`files changed by pull request #${number}`, changed) }
}
