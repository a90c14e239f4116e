// Cold start: what a pipeline pays before certgate does any work. The action
// bundle run with no inputs in an empty folder (it must fail fast, naming
// what is missing) and the CLI's --help, each against a bare `node -e 0`.
import { mkdir, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { expectExit, measureProcess, repeat, summarise } from '../lib/measure.js'

/** Cold start is short and noisy: more runs than the other scenarios for a stable median. */
const MIN_RUNS = 11

/** @type {import('../run.js').Scenario} */
export const coldStartScenario = {
  name: 'cold-start',
  defaultSizes: [1],
  notes: [
    `cold-start — medians of at least ${MIN_RUNS} runs: \`node dist/index.js\` with no INPUT_* variables in an empty temporary folder (exit 1 expected: nothing to check), \`node dist/cli.js --help\`; floor: \`node -e 0\`. Sizes are the bundle files on disk.`,
  ],
  async run({ runs, workDir, cli, log }) {
    if (!cli) return []
    const runsHere = Math.max(runs, MIN_RUNS)
    const emptyDir = join(workDir, 'cold-start-empty')
    await mkdir(emptyDir, { recursive: true })
    const action = join(dirname(cli), 'index.js')
    log(`cold-start: node -e 0, ${runsHere} runs`)
    const floor = { ms: (await timeNode(['-e', '0'], emptyDir, runsHere, [0])).ms, label: 'node -e 0' }
    const rows = []
    for (const [bundle, args, exits] of [
      [action, [], [1]],
      [cli, ['--help'], [0]],
    ]) {
      log(`cold-start: ${bundle} ${args.join(' ')}, ${runsHere} runs`)
      const certgate = await timeNode([bundle, ...args], emptyDir, runsHere, exits)
      const size = (await stat(bundle)).size
      rows.push({
        scenario: 'cold-start',
        work: `node dist/${bundle === cli ? 'cli.js --help' : 'index.js'}`,
        certgate,
        alternative: undefined,
        floor,
        note: `bundle ${(size / 2 ** 20).toFixed(2)} MiB`,
      })
    }
    return rows
  },
}

async function timeNode(args, cwd, runs, exits) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('INPUT_')))
  const results = await repeat(runs, () => measureProcess(process.execPath, args, { cwd, env }))
  for (const r of results) expectExit(r, exits, `node ${args.join(' ')}`)
  return summarise(results)
}
