// Which .certgate.yml judges a pull request. The config decides what fails
// (ignores, severities, trust anchors, fail-on), so a pull request that could
// bring its own would judge itself: `ignore: [{path: "**"}]` and any change
// passes. With config-source: base (the default) the config is read as the
// base commit holds it: from git when the checkout has that commit, else from
// the REST contents API at the base SHA. A config the pull request adds or
// changes applies once merged, and the run says so.
import { existsSync, readFileSync, realpathSync } from 'node:fs'
import { dirname, relative, sep } from 'node:path'
import * as github from '@actions/github'
import { DEFAULT_CONFIG_FILE, NO_CONFIG, configPath, loadConfig, parseConfig } from '../config.js'
import type { LoadedConfig } from '../config.js'
import { displayPath } from '../load/fs-path.js'
import { UsageError } from '../options.js'
import { existingAncestor, fileAtCommit, hasCommit, repositoryRoot } from './git.js'

export type ConfigSource = 'base' | 'head'

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

export interface ConfigContext {
  cwd: string
  /** The `config` input, if set. */
  explicit?: string
  source: ConfigSource
  eventName: string
  payload: { pull_request?: { number?: number; base?: { sha?: string } } }
  repo: { owner: string; repo: string }
  token: string
  knownRules: ReadonlySet<string>
}

export interface ConfigChoice {
  config: LoadedConfig
  /** For the log and the summary: which config applied and why. */
  note?: string
  /** For a notice on the config file, when the pull request's version of it does not apply. */
  notice?: { file: string; message: string }
}

/** The config that judges this run: the base commit's on a pull request (config-source: base), else the checkout's. */
export async function chooseConfig(ctx: ConfigContext): Promise<ConfigChoice> {
  const pullRequest = PULL_REQUEST_EVENTS.has(ctx.eventName)
  if (!pullRequest) return { config: loadConfig(ctx.cwd, ctx.explicit, ctx.knownRules, 'input "config"') }
  if (ctx.source === 'head') {
    const config = loadConfig(ctx.cwd, ctx.explicit, ctx.knownRules, 'input "config"')
    return {
      config,
      ...(config.file
        ? { note: `config: ${where(ctx)} as this pull request has it (config-source: head)` }
        : {}),
    }
  }

  const sha = ctx.payload.pull_request?.base?.sha
  if (!sha) {
    throw new UsageError(
      'config-source base: the event payload names no base commit (pull_request.base.sha); set config-source: head to use the checked-out config',
    )
  }
  const file = configPath(ctx.cwd, ctx.explicit)
  const base = await readAtBase(ctx, file, sha)
  const head = existsSync(file) ? readFileSync(file, 'utf8') : null
  const short = sha.slice(0, 7)
  const name = where(ctx)
  const shown = displayPath(file, ctx.cwd)
  if (base === null) {
    if (head === null) return { config: NO_CONFIG }
    const message = `no config applied: the base commit ${short} has no ${name}; the one this pull request adds takes effect after merge (config-source: base)`
    return { config: NO_CONFIG, note: message, notice: { file: shown, message } }
  }
  const config = parseConfig(base, { where: `${name} (base commit ${short})`, file }, ctx.knownRules)
  if (head === base) return { config, note: `config: ${name} as of the base commit ${short}` }
  const change = head === null ? 'deletes it' : 'changes it'
  const message = `config: ${name} as of the base commit ${short}; this pull request ${change}, and its change takes effect after merge (config-source: base)`
  return { config, note: message, notice: { file: shown, message } }
}

const where = (ctx: ConfigContext) => ctx.explicit ?? DEFAULT_CONFIG_FILE

/** The config file's text in the base commit, or null when the base commit has none. */
async function readAtBase(ctx: ConfigContext, file: string, sha: string): Promise<string | null> {
  const root = repositoryRoot(file)
  const path = repositoryPath(root ?? ctx.cwd, file)
  if (root && hasCommit(root, sha)) return fileAtCommit(root, sha, path)
  const fail = (why: string) =>
    new UsageError(
      `config-source base: cannot read ${where(ctx)} at the base commit ${sha.slice(0, 7)}: ${why}. ` +
        'Give the job `contents: read` and a github-token, fetch the base commit (actions/checkout fetch-depth: 0), or set config-source: head',
    )
  if (!ctx.token) throw fail('the commit is not in the checkout and there is no github-token for the API')
  try {
    const octokit = github.getOctokit(ctx.token)
    const { data } = await octokit.rest.repos.getContent({ ...ctx.repo, path, ref: sha })
    if (Array.isArray(data) || data.type !== 'file' || !('content' in data))
      throw fail(`${path} is not a file there`)
    return Buffer.from(data.content, (data.encoding as BufferEncoding) || 'base64').toString('utf8')
  } catch (err) {
    if (err instanceof UsageError) throw err
    const status = (err as { status?: number }).status
    if (status === 404) return null
    throw fail(`${status ? `HTTP ${status}: ` : ''}${(err as Error).message.split('\n')[0]}`)
  }
}

/** `file` relative to the repository root, '/'-separated, through symlinks in the checkout. */
function repositoryPath(root: string, file: string): string {
  const directory = existingAncestor(dirname(file))
  const real = realpathSync(directory) + file.slice(directory.length)
  return relative(root, real).split(sep).join('/')
}
