// `certgate merge`: the JSON reports of the shards of one run (--shard K/N on
// a matrix of runners) become the report of the whole run. Shards check
// disjoint files, so certificates, files and endpoints concatenate and the
// summary counts add up; a merge that would lose or double a shard refuses.
import { UsageError } from './options.js'
import { formatReasons } from './policy.js'
import type { Report, ReportSummary } from './report/types.js'

/** A report read from a file, named for messages. */
export interface NamedReport {
  name: string
  report: Report
}

/**
 * How the shell that merges makes what merge reads, for its refusals: the
 * command line's flags, or the action's inputs (which have no --format).
 */
export interface ReportAdvice {
  /** How to write a JSON report. */
  report: string
  /** How to write the JSON report of one shard. */
  shardReport: string
}

export const COMMAND_LINE_REPORTS: ReportAdvice = {
  report: 'write one with --format json',
  shardReport: 'run check with --shard K/N and --format json',
}

/** Parses a JSON report, or says which file is not one. */
export function parseReport(name: string, text: string, advice = COMMAND_LINE_REPORTS): Report {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new UsageError(`${name}: not JSON (${(err as Error).message})`)
  }
  const r = value as Partial<Report>
  if (
    !r ||
    typeof r !== 'object' ||
    r.version !== 1 ||
    !Array.isArray(r.certificates) ||
    !Array.isArray(r.files) ||
    !Array.isArray(r.endpoints) ||
    typeof r.summary !== 'object'
  ) {
    throw new UsageError(`${name}: not a certgate JSON report (version 1); ${advice.report}`)
  }
  return r as Report
}

const SHARD = /^shard (\d+)\/(\d+)$/

export function mergeReports(inputs: readonly NamedReport[], advice = COMMAND_LINE_REPORTS): Report {
  if (inputs.length === 0) throw new UsageError('merge: give the JSON reports of the shards')
  checkShards(inputs, advice)
  const profiles = new Set(inputs.map((i) => i.report.profile))
  if (profiles.size > 1)
    throw new UsageError(`merge: the reports use different profiles (${[...profiles].join(', ')})`)

  const seen = new Map<string, string>()
  for (const { name, report } of inputs) {
    for (const f of report.files) {
      const other = seen.get(f.file)
      if (other)
        throw new UsageError(`merge: ${f.file} is in both ${other} and ${name}; shards must not overlap`)
      seen.set(f.file, name)
    }
  }

  const reports = inputs.map((i) => i.report)
  const failed = reports.reduce((n, r) => n + r.summary.failed, 0)
  return {
    version: 1,
    result: failed > 0 || reports.some((r) => r.result === 'fail') ? 'fail' : 'pass',
    now: reports.map((r) => r.now).sort()[0],
    profile: reports[0].profile,
    summary: sumSummaries(reports.map((r) => r.summary)),
    certificates: reports
      .flatMap((r) => r.certificates)
      .sort((a, b) => compare(a.file, b.file) || a.index - b.index),
    files: reports.flatMap((r) => r.files).sort((a, b) => compare(a.file, b.file)),
    endpoints: reports.flatMap((r) => r.endpoints),
    // Every shard searched the same tree, so each lists what was left out; shown once.
    skipped: [...new Map(reports.flatMap((r) => r.skipped ?? []).map((s) => [s.path, s])).values()].sort(
      (a, b) => compare(a.path, b.path),
    ),
    ...unionOf(reports.flatMap((r) => r.notes ?? [])),
  }
}

const unionOf = (notes: string[]): { notes?: string[] } =>
  notes.length ? { notes: [...new Set(notes)] } : {}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Every shard of one split of one file set, each once: a missing shard would
 * pass its files unchecked, and a shard of another file set (another commit,
 * another path list) would leave files that neither run checked.
 */
function checkShards(inputs: readonly NamedReport[], advice: ReportAdvice): void {
  const shards = inputs.map(({ name, report }) => {
    const scope = report.scope as Partial<Report['scope']> | string | undefined
    const match = SHARD.exec(typeof scope === 'object' ? (scope.label ?? '') : '')
    if (!match || typeof scope !== 'object' || typeof scope.inputs !== 'string') {
      throw new UsageError(
        `merge: ${name} is not the report of a shard by this version (${advice.shardReport})`,
      )
    }
    return { name, index: Number(match[1]), count: Number(match[2]), inputs: scope.inputs }
  })
  const other = shards.find((s) => s.inputs !== shards[0].inputs)
  if (other)
    throw new UsageError(
      `merge: ${shards[0].name} and ${other.name} are shards of different file sets (inputs ${shards[0].inputs.slice(0, 12)}… and ${other.inputs.slice(0, 12)}…): run every shard on the same checkout and paths`,
    )
  const count = shards[0].count
  const odd = shards.find((s) => s.count !== count)
  if (odd)
    throw new UsageError(`merge: ${odd.name} is a shard of ${odd.count}, ${shards[0].name} of ${count}`)
  const byIndex = new Map<number, string>()
  for (const s of shards) {
    const other = byIndex.get(s.index)
    if (other) throw new UsageError(`merge: ${other} and ${s.name} are both shard ${s.index}/${count}`)
    byIndex.set(s.index, s.name)
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i))
  if (missing.length) {
    throw new UsageError(
      `merge: shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')} missing; ` +
        'their files would go unchecked',
    )
  }
}

/** Counts add; reasons ("chain-order (3)") add by reason. */
function sumSummaries(summaries: readonly ReportSummary[]): ReportSummary {
  const reasons = new Map<string, number>()
  for (const s of summaries) {
    for (const line of s.reasons) {
      const match = /^(.*) \((\d+)\)$/.exec(line)
      const reason = match ? match[1] : line
      reasons.set(reason, (reasons.get(reason) ?? 0) + (match ? Number(match[2]) : 1))
    }
  }
  const sum = (key: Exclude<keyof ReportSummary, 'reasons'>) => summaries.reduce((n, s) => n + s[key], 0)
  return {
    files: sum('files'),
    certificates: sum('certificates'),
    endpoints: sum('endpoints'),
    errors: sum('errors'),
    warnings: sum('warnings'),
    ignored: sum('ignored'),
    revoked: sum('revoked'),
    failed: sum('failed'),
    reasons: formatReasons(reasons),
  }
}
