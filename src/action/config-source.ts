// Which .certgate.yml judges a pull request. The config decides what fails
// (ignores, severities, trust anchors, fail-on), so a pull request that could
// bring its own would judge itself: `ignore: [{path: "**"}]` and any change
// passes. With config-source: base (the default) the config is read as the
// base commit holds it: from git when the checkout has that commit, else from
// the REST contents API at the base SHA. A config the pull request adds or
// changes applies once merged, and the run says so.
import { existsSync, readFileSync } from 'node:fs'
import { DEFAULT_CONFIG_FILE, NO_CONFIG, configPath, loadConfig, parseConfig } from '../config.js'
import type { LoadedConfig } from '../config.js'
import { displayPath } from '../load/fs-path.js'
import { UsageError } from '../options.js'
import { readAtBase } from './base-commit.js'

export type ConfigSource = 'base' | 'head'

export const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target'])

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
  const base = await configAtBase(ctx, file, sha)
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
async function configAtBase(ctx: ConfigContext, file: string, sha: string): Promise<string | null> {
  const base = { sha, cwd: ctx.cwd, repo: ctx.repo, token: ctx.token }
  return (await readAtBase(base, file, where(ctx)))?.toString('utf8') ?? null
}
