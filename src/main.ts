// The action's shell: inputs are read once, here, turned into the same
// options object the CLI builds, and handed to the same check(). Nothing about
// GitHub reaches the engine.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as core from '@actions/core'
import { check } from './check.js'
import { loadConfig } from './config.js'
import type { RawSettings } from './options.js'
import { UsageError, resolveOptions } from './options.js'
import { renderSarif } from './report/sarif.js'
import type { Report } from './report/types.js'
import { annotate, logGroups, writeSummary } from './report/github.js'
import { ruleIds } from './rules/registry.js'

/** Action inputs that map one-to-one onto settings (input name = option name). */
const SETTING_INPUTS = [
  'revocation',
  'fail-on',
  'soft-fail',
  'profile',
  'trust',
  'allow-private-network',
  'timeout',
  'concurrency',
  'cache-dir',
] as const

export async function run(): Promise<void> {
  try {
    const cwd = process.env.GITHUB_WORKSPACE || process.cwd()
    const config = loadConfig(cwd, core.getInput('config') || undefined, ruleIds)
    const inputs: RawSettings = {}
    for (const name of SETTING_INPUTS) {
      const value = name === 'trust' ? core.getMultilineInput(name) : core.getInput(name)
      if (value.length > 0) (inputs as Record<string, unknown>)[name] = value
    }
    const endpoints = core.getMultilineInput('endpoints')
    const staples = core.getMultilineInput('staples')
    if (endpoints.length) inputs.endpoint = endpoints
    if (staples.length) inputs.staple = staples
    const files = core.getMultilineInput('files')
    const options = resolveOptions(
      { ...config.settings, ...inputs },
      { inputs: files.length ? files : ['.'], cwd, rules: config.rules, configFile: config.file },
      (key) => `input "${key === 'endpoint' ? 'endpoints' : key === 'staple' ? 'staples' : key}"`,
    )

    const report = await check(options)
    logGroups(report)
    annotate(report)
    await writeSummary(report)
    writeOutputs(report, cwd)
    if (report.result === 'fail')
      core.setFailed(`certgate: gate failed on ${report.summary.reasons.join(', ')}`)
  } catch (err) {
    if (err instanceof UsageError) core.setFailed(`certgate: ${err.message}`)
    else core.setFailed(`certgate: internal error: ${(err as Error).stack ?? String(err)}`)
  }
}

function writeOutputs(report: Report, cwd: string): void {
  core.setOutput('result', report.result)
  core.setOutput('failed-count', String(report.summary.failed))
  core.setOutput('revoked-count', String(report.summary.revoked))
  const reportFile = core.getInput('report-file')
  if (reportFile) {
    writeFileSync(resolve(cwd, reportFile), JSON.stringify(report, null, 2) + '\n')
    core.setOutput('report-file', reportFile)
  }
  const sarifFile = core.getInput('sarif-file')
  if (sarifFile) {
    writeFileSync(resolve(cwd, sarifFile), JSON.stringify(renderSarif(report), null, 2) + '\n')
    core.setOutput('sarif-file', sarifFile)
  }
}
