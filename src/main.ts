// The action's shell: inputs are read once, here, turned into the same
// options object the CLI builds, and handed to the same check(). Nothing about
// GitHub reaches the engine; the pull request's changed files arrive as a scope.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import * as core from '@actions/core'
import * as github from '@actions/github'
import { glob } from 'tinyglobby'
import { changedFilesScope, repositoryRoots } from './action/changed-files.js'
import {
  PULL_REQUEST_EVENTS,
  chooseConfig,
  type ConfigChoice,
  type ConfigSource,
} from './action/config-source.js'
import { trustedFilesAtBase } from './action/trusted-files.js'
import { check } from './check.js'
import { mergeReports, parseReport, type ReportAdvice } from './merge.js'
import type { CheckOptions, RawSettings } from './options.js'
import { UsageError, parseBoolean, parseChoice, resolveOptions } from './options.js'
import { renderSarif } from './report/sarif.js'
import type { Report } from './report/types.js'
import { annotate, logGroups, logUntrusted, writeSummary } from './report/github.js'
import { ruleIds } from './rules/registry.js'
import type { Shell } from './setting-names.js'
import { intersectScopes } from './scope.js'
import { errorText, injectFault } from './contain.js'

/** Action inputs that map one-to-one onto settings (input name = option name). */
const SETTING_INPUTS = [
  'revocation',
  'fail-on',
  'soft-fail',
  'profile',
  'trust',
  'allow-private-network',
  'timeout',
  'retries',
  'concurrency',
  'deadline',
  'crl-budget',
  'cache-dir',
  'shard',
  'require-sct',
  'ct-log-list',
  'ari',
  'server-root',
] as const

/** Inputs whose settings are lists: one entry per line. */
const LIST_INPUTS: Record<string, keyof RawSettings> = {
  trust: 'trust',
  issuers: 'issuer',
  'responder-certs': 'responder-cert',
  endpoints: 'endpoint',
  resolve: 'resolve',
  staples: 'staple',
  exclude: 'exclude',
  keys: 'key',
  'expect-names': 'expect-name',
  'server-configs': 'server-config',
}

/** List inputs that also take commas between entries (paths and names, which hold none). */
const COMMA_LISTS = new Set(['keys', 'expect-names'])

const INPUT_OF = new Map<keyof RawSettings, string>([
  ...SETTING_INPUTS.map((name) => [name, name] as const),
  ...Object.entries(LIST_INPUTS).map(([input, key]) => [key, input] as const),
])

/**
 * Settings as a workflow sets them: by input, and by the config file where
 * the action has no input (nonce, hash, ...), so no message tells a workflow
 * author to pass a flag.
 */
const ACTION_INPUTS: Shell = {
  name: (key) => {
    const input = INPUT_OF.get(key)
    return input === undefined ? undefined : `input "${input}"`
  },
  flags: false,
}

interface ActionInputs {
  options: CheckOptions
  /** Which config applied, for the log, the summary and a notice on the file. */
  config: ConfigChoice
  configSource: ConfigSource
  changedOnly: boolean
  token: string
  reportFile: string
  sarifFile: string
}

/** Every input, read once; a bad value is a UsageError naming the input and what it accepts. */
async function readInputs(): Promise<ActionInputs> {
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd()
  const token = core.getInput('github-token')
  // GITHUB_TOKEN is masked by the runner; a personal token passed here must be too.
  if (token) core.setSecret(token)
  const configSource = parseChoice('input "config-source"', core.getInput('config-source') || 'base', [
    'base',
    'head',
  ] as const)
  const chosen = await chooseConfig({
    cwd,
    explicit: core.getInput('config') || undefined,
    source: configSource,
    eventName: github.context.eventName,
    payload: github.context.payload,
    repo: safeRepo(),
    token,
    knownRules: ruleIds,
  })
  const inputs: RawSettings = {}
  for (const name of SETTING_INPUTS) {
    const value = name === 'trust' ? core.getMultilineInput(name) : core.getInput(name)
    if (value.length > 0) (inputs as Record<string, unknown>)[name] = value
  }
  for (const [input, key] of Object.entries(LIST_INPUTS)) {
    const lines = core.getMultilineInput(input)
    const value = COMMA_LISTS.has(input)
      ? lines.flatMap((line) => line.split(',').map((entry) => entry.trim())).filter(Boolean)
      : lines
    if (value.length) (inputs as Record<string, unknown>)[key] = value
  }
  // files defaults to '.'; set empty beside endpoints, staples or server configs, it means those alone.
  const files = core.getMultilineInput('files')
  const alone =
    inputs.endpoint !== undefined || inputs.staple !== undefined || inputs['server-config'] !== undefined
  const options = resolveOptions(
    inputs,
    // A pull request controls the symlinks in the workspace: none may lead out of it.
    { inputs: files.length || alone ? files : ['.'], cwd, config: chosen.config, confineTo: cwd },
    ACTION_INPUTS,
  )
  return {
    options,
    config: chosen,
    configSource,
    changedOnly: parseBoolean('input "changed-only"', core.getInput('changed-only')),
    token,
    reportFile: core.getInput('report-file'),
    sarifFile: core.getInput('sarif-file'),
  }
}

export async function run(): Promise<void> {
  try {
    const shardReports = core.getMultilineInput('merge-reports')
    if (shardReports.length) return await mergeShards(shardReports)
    const inputs = await readInputs()
    let options = inputs.options
    const notes: string[] = []
    const { note, notice } = inputs.config
    if (note) {
      logUntrusted(`certgate: ${note}`)
      notes.push(note)
    }
    if (notice) core.notice(notice.message, { file: notice.file, startLine: 1, title: 'certgate config' })
    const baseSha = github.context.payload.pull_request?.base?.sha as string | undefined
    if (PULL_REQUEST_EVENTS.has(github.context.eventName) && inputs.configSource === 'base' && baseSha) {
      const pinned = await trustedFilesAtBase(options, {
        sha: baseSha,
        cwd: options.cwd,
        repo: safeRepo(),
        token: inputs.token,
      })
      options = pinned.options
      for (const message of pinned.notes) logUntrusted(`certgate: ${message}`)
      notes.push(...pinned.notes)
      for (const { file, message } of pinned.notices)
        core.notice(message, { file, startLine: 1, title: 'certgate config' })
    }
    if (inputs.changedOnly) {
      const changed = await changedFilesScope({
        eventName: github.context.eventName,
        payload: github.context.payload,
        repo: safeRepo(),
        token: inputs.token,
        roots: repositoryRoots(options.cwd, options.inputs),
      })
      if ('fallback' in changed) {
        core.notice(`certgate: checking all files: ${changed.fallback}`)
        notes.push(`checking all files: ${changed.fallback}`)
      } else options = { ...options, scope: intersectScopes(changed.scope, options.scope) }
    }

    const checked = await check(options)
    const allNotes = [...notes, ...(checked.notes ?? [])]
    const report: Report = { ...checked, ...(allNotes.length ? { notes: allNotes } : {}) }
    for (const widened of checked.notes ?? []) core.notice(`certgate: ${widened}`)
    // Each output is written whatever happens to the others: a bug in the
    // summary must not cost the outputs, the report file or the SARIF.
    const broken: string[] = []
    const attempt = async <T>(what: string, write: () => T | Promise<T>, fallback: T): Promise<T> => {
      try {
        injectFault('report', what)
        return await write()
      } catch (err) {
        broken.push(what)
        core.error(
          `certgate: internal error writing the ${what}: ${errorText(err)}; the other outputs were written`,
        )
        return fallback
      }
    }
    await attempt('outputs', () => writeOutputs(report, options.cwd, inputs), undefined)
    await attempt('log', () => logGroups(report), undefined)
    const notAnnotated = await attempt('annotations', () => annotate(report), undefined)
    await attempt('summary', () => writeSummary(report, notAnnotated), undefined)
    if (report.result === 'fail')
      core.setFailed(`certgate: gate failed on ${report.summary.reasons.join(', ')}`)
    else if (broken.length) core.setFailed(`certgate: internal error writing the ${broken.join(', ')}`)
  } catch (err) {
    if (err instanceof UsageError) core.setFailed(`certgate: ${err.message}`)
    else core.setFailed(`certgate: internal error: ${(err as Error).stack ?? String(err)}`)
  }
}

/** What merge-reports reads, made the action's way. */
const ACTION_REPORTS: ReportAdvice = {
  report: 'write one with input "report-file"',
  shardReport: 'run the action with inputs "shard" (K/N) and "report-file"',
}

/**
 * The last job of a sharded matrix: the shards' JSON reports become one
 * summary, one set of outputs and one verdict. The shards annotated their
 * own files already, so this step does not annotate again.
 */
async function mergeShards(patterns: string[]): Promise<void> {
  const cwd = process.env.GITHUB_WORKSPACE || process.cwd()
  const paths = (await glob(patterns, { cwd, onlyFiles: true })).sort()
  if (paths.length === 0) {
    throw new UsageError(`input "merge-reports": no file matches ${patterns.join(', ')}`)
  }
  const report = mergeReports(
    paths.map((path) => ({
      name: path,
      report: parseReport(path, readFileSync(resolve(cwd, path), 'utf8'), ACTION_REPORTS),
    })),
    ACTION_REPORTS,
  )
  logUntrusted(`certgate: merged ${paths.length} shard reports: ${paths.join(', ')}`)
  await writeSummary(report)
  writeOutputs(report, cwd, {
    reportFile: core.getInput('report-file'),
    sarifFile: core.getInput('sarif-file'),
  })
  if (report.result === 'fail')
    core.setFailed(`certgate: gate failed on ${report.summary.reasons.join(', ')}`)
}

/** context.repo throws when GITHUB_REPOSITORY is unset (a local run); the scope then falls back anyway. */
function safeRepo(): { owner: string; repo: string } {
  try {
    return github.context.repo
  } catch {
    return { owner: '', repo: '' }
  }
}

function writeOutputs(report: Report, cwd: string, files: { reportFile: string; sarifFile: string }): void {
  core.setOutput('result', report.result)
  core.setOutput('failed-count', String(report.summary.failed))
  core.setOutput('revoked-count', String(report.summary.revoked))
  core.setOutput('checked-count', String(report.summary.certificates))
  const write = (input: 'report-file' | 'sarif-file', path: string, content: object) => {
    const target = resolve(cwd, path)
    mkdirSync(dirname(target), { recursive: true })
    writeFileSync(target, JSON.stringify(content, null, 2) + '\n')
    core.setOutput(input, path)
  }
  if (files.reportFile) write('report-file', files.reportFile, report)
  if (files.sarifFile) write('sarif-file', files.sarifFile, renderSarif(report))
}
