// `npm run bench`: generates its own inputs, runs certgate, the alternative a
// user would script instead, and the floor in the same run, and prints the
// medians as a table (also written to bench/results.md).
//
// Environment: BENCH_RUNS (default 3), BENCH_SCENARIOS (comma-separated names
// of SCENARIOS below, default all), BENCH_SIZES_<NAME> (comma-separated work
// sizes for one scenario, e.g. BENCH_SIZES_SCALING=1000,10000; BENCH_SIZES is
// the lint scenario's), BENCH_SHELL_SAMPLE (certificates the openssl loops run
// on before scaling, default 200), BENCH_KEEP=1 keeps the generated files,
// CERTGATE_BENCH_NETNS=0 runs without a network namespace of its own (lib/isolate.js).
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { boundsScenario } from './bounds/scenario.js'
import { coldStartScenario } from './cold-start/scenario.js'
import { crlScenario } from './crl/scenario.js'
import { crlEraScenario } from './crl-era/scenario.js'
import { lintScenario } from './lint/scenario.js'
import { ocspScenario } from './ocsp/scenario.js'
import { scalingScenario } from './scaling/scenario.js'
import { isolateNetwork, networkNote } from './lib/isolate.js'
import { machineDescription, resultsTable } from './lib/table.js'

/**
 * A scenario times one kind of work at each size and returns table rows.
 * @typedef {object} Scenario
 * @property {string} name
 * @property {number[]} defaultSizes
 * @property {(context: ScenarioContext) => Promise<import('./lib/table.js').Row[]>} run
 * @property {string[]} [notes]   how its rows were measured, printed under the table
 *
 * @typedef {object} ScenarioContext
 * @property {number[]} sizes
 * @property {number} runs
 * @property {string} workDir       scratch folder, removed afterwards
 * @property {string | undefined} cli   dist/cli.js, undefined when not built
 * @property {number} shellSample
 * @property {(message: string) => void} log
 * @property {Map<string, import('./lib/table.js').Row[]>} measured  rows of the scenarios run so far, by name
 */

/** @type {Scenario[]} */
const SCENARIOS = [
  lintScenario,
  ocspScenario,
  crlScenario,
  crlEraScenario,
  coldStartScenario,
  scalingScenario,
  boundsScenario,
]

/** How the lint rows were measured; the lint scenario predates per-scenario notes. */
const LINT_NOTES = [
  'lint — certgate: `node dist/cli.js check --revocation off --format json --trust root.pem <dir>`; the report is checked to cover every leaf.',
  'lint — alternative: `bench/lint/openssl-loop.sh` (`openssl x509 -noout -text` + `openssl verify` per file), run on the first BENCH_SHELL_SAMPLE files and scaled linearly to the work size.',
  'lint — floor: `bench/lint/floor.js`, Node’s own `crypto.X509Certificate` parse and signature verify of the same files, no rules.',
]

const benchDir = dirname(fileURLToPath(import.meta.url))
const cliPath = join(benchDir, '..', 'dist', 'cli.js')

function positiveIntegers(value, name) {
  const numbers = value.split(',').map((v) => Number(v.trim()))
  if (numbers.some((n) => !Number.isInteger(n) || n <= 0))
    throw new Error(`${name} must be positive integers: ${value}`)
  return numbers
}

/** BENCH_SIZES_<NAME>, else (lint only) BENCH_SIZES, else the scenario's own sizes. */
function sizesFor(scenario) {
  const variable = `BENCH_SIZES_${scenario.name.toUpperCase().replace(/-/g, '_')}`
  const value = process.env[variable] ?? (scenario === lintScenario ? process.env.BENCH_SIZES : undefined)
  return value ? positiveIntegers(value, variable) : scenario.defaultSizes
}

async function main() {
  const isolation = isolateNetwork()
  if (isolation.reexec) {
    process.exitCode = isolation.status
    return
  }
  const runs = positiveIntegers(process.env.BENCH_RUNS ?? '3', 'BENCH_RUNS')[0]
  const shellSample = positiveIntegers(process.env.BENCH_SHELL_SAMPLE ?? '200', 'BENCH_SHELL_SAMPLE')[0]
  const wanted = process.env.BENCH_SCENARIOS?.split(',').map((s) => s.trim())
  const unknown = wanted?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? []
  if (unknown.length)
    throw new Error(
      `unknown BENCH_SCENARIOS ${unknown.join(', ')}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    )
  const scenarios = SCENARIOS.filter((s) => !wanted || wanted.includes(s.name))
  const cli = existsSync(cliPath) ? cliPath : undefined
  const log = (message) => console.error(`[bench] ${message}`)
  log(`network: ${isolation.network}`)
  if (!cli) log('dist/cli.js is missing (npm run bundle): timing the alternatives only')

  const machine = machineDescription()
  const workDir = await mkdtemp(join(tmpdir(), 'certgate-bench-'))
  const rows = []
  const measured = new Map()
  try {
    for (const scenario of scenarios) {
      const sizes = sizesFor(scenario)
      const context = { sizes, runs, workDir, cli, shellSample, log, measured }
      const scenarioRows = await scenario.run(context)
      measured.set(scenario.name, scenarioRows)
      rows.push(...scenarioRows)
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${workDir}`)
    else await rm(workDir, { recursive: true, force: true })
  }

  const table = resultsTable(rows)
  console.log(table)
  const notes = [
    `Medians of ${runs} runs. Times are wall clock from process start to exit, so every tool pays its own start-up.`,
    'Peak memory: maximum resident set of the certgate process (GNU time %M), largest over the runs.',
    `Loops of openssl calls run on the first ${shellSample} certificates and are scaled linearly to the work size.`,
    networkNote(isolation.network),
    ...scenarios.flatMap((s) => (s === lintScenario ? LINT_NOTES : (s.notes ?? []))),
  ]
  const markdown = `# certgate benchmark results\n\n${machine}\n\n${table}\n\n${notes.map((n) => `- ${n}`).join('\n')}\n`
  await writeFile(join(benchDir, 'results.md'), markdown)
  log('table written to bench/results.md')
}

main().catch((error) => {
  console.error(`bench failed: ${error instanceof Error ? error.message : error}`)
  process.exitCode = 1
})
