// The results table, as Markdown (readable in a terminal and in the README).
import { execFileSync } from 'node:child_process'
import os from 'node:os'

/**
 * @typedef {object} Row
 * @property {string} scenario
 * @property {string} work                    e.g. '10,000 certificates'
 * @property {{ ms: number, maxRssKiB: number } | undefined} certgate   undefined when dist/cli.js is missing
 * @property {{ ms: number, label: string } | undefined} alternative  what a user would run instead, if anything
 * @property {{ ms: number, label: string } | undefined} floor          the least any tool could spend
 * @property {string} [note]   what else the row shows (requests counted, cost per unit, sizes)
 */

const COLUMNS = [
  'Scenario',
  'Work',
  'certgate',
  'Alternative',
  'Alt. / certgate',
  'Floor',
  'certgate / floor',
  'Peak memory',
  'Notes',
]

/** @param {Row[]} rows */
export function resultsTable(rows) {
  const cells = rows.map((row) => [
    row.scenario,
    row.work,
    row.certgate ? duration(row.certgate.ms) : 'not built',
    row.alternative ? `${duration(row.alternative.ms)} (${row.alternative.label})` : '–',
    row.certgate && row.alternative ? ratio(row.alternative.ms / row.certgate.ms) : '–',
    row.floor ? `${duration(row.floor.ms)} (${row.floor.label})` : '–',
    row.certgate && row.floor ? ratio(row.certgate.ms / row.floor.ms) : '–',
    row.certgate ? `${Math.round(row.certgate.maxRssKiB / 1024)} MiB` : '–',
    row.note ?? '',
  ])
  const widths = COLUMNS.map((title, i) => Math.max(title.length, ...cells.map((c) => c[i].length)))
  const line = (values) => `| ${values.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

/** Where the numbers come from: they mean little without the machine and its load. */
export function machineDescription() {
  const cpus = os.cpus()
  const openssl = execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim()
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(', ')
  return [
    `${new Date().toISOString()}: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'},`,
    `${Math.round(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}, ${openssl};`,
    `load average at the start ${load}.`,
  ].join(' ')
}

/** Milliseconds for people: µs below a millisecond, ms below a second, then seconds. */
export function duration(ms) {
  if (ms < 1) return `${(ms * 1000).toFixed(ms < 0.01 ? 2 : 1)} µs`
  if (ms < 10) return `${ms.toFixed(2)} ms`
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`
}

export function ratio(value) {
  return `${value.toFixed(value < 10 ? 1 : 0)}×`
}
