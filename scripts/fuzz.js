// The long fuzz run (`npm run fuzz`): the same properties as the fast ones in
// `npm test` (__tests__/fuzz), with FUZZ_RUNS runs each from a fixed
// FUZZ_SEED. Usage:
//   node scripts/fuzz.js [runs] [seed] [test file] [test name]   (defaults: 2000, 20261121, all)
// A failing property saves the inputs of its run under __tests__/fuzz/failures/
// (openssl's keys, signatures and times differ from run to run, so the seed
// alone cannot remake them) and prints the command that replays the failure
// exactly: FUZZ_INPUTS=<saved> FUZZ_SEED=<seed> FUZZ_PATH=<path> with this script.
import { spawnSync } from 'node:child_process'

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '2000'
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? '20261121'
const [file = '__tests__/fuzz', name] = process.argv.slice(4)
if (!/^\d+$/.test(runs) || !/^-?\d+$/.test(seed)) {
  console.error('usage: node scripts/fuzz.js [runs] [seed] [test file] [test name]  (whole numbers)')
  process.exit(2)
}
console.log(
  `fuzz: ${runs} runs per property, seed ${seed}` +
    (process.env.FUZZ_PATH ? `, path ${process.env.FUZZ_PATH}` : '') +
    (process.env.FUZZ_INPUTS ? `, inputs ${process.env.FUZZ_INPUTS}` : ''),
)
const result = spawnSync(
  process.execPath,
  [
    'node_modules/jest/bin/jest.js',
    file,
    ...(name ? ['-t', name] : []),
    // One worker: the properties start servers and openssl; the long run is not a race.
    '--maxWorkers=1',
    '--verbose',
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      FUZZ_RUNS: runs,
      FUZZ_SEED: seed,
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules`.trim(),
      NODE_NO_WARNINGS: '1',
    },
  },
)
process.exit(result.status ?? 1)
