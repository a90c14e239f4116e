// The long fuzz run (`npm run fuzz`): the same properties as the fast ones in
// `npm test` (__tests__/fuzz), with FUZZ_RUNS runs each from a fixed
// FUZZ_SEED, so a failure found here replays exactly. Usage:
//   node scripts/fuzz.js [runs] [seed]      (defaults: 2000, 20261121)
import { spawnSync } from 'node:child_process'

const runs = process.argv[2] ?? process.env.FUZZ_RUNS ?? '2000'
const seed = process.argv[3] ?? process.env.FUZZ_SEED ?? '20261121'
if (!/^\d+$/.test(runs) || !/^-?\d+$/.test(seed)) {
  console.error('usage: node scripts/fuzz.js [runs] [seed]  (whole numbers)')
  process.exit(2)
}
console.log(`fuzz: ${runs} runs per property, seed ${seed}`)
const result = spawnSync(
  process.execPath,
  [
    'node_modules/jest/bin/jest.js',
    '__tests__/fuzz',
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
