// Scaling: the lint scenario at growing sizes, with the cost per certificate
// beside each row so any growth faster than linear shows as a rising number.
// Sizes the lint scenario already measured in this run are reused, not rerun.
import { lintScenario } from '../lint/scenario.js'
import { duration, ratio } from '../lib/table.js'

/** @type {import('../run.js').Scenario} */
export const scalingScenario = {
  name: 'scaling',
  defaultSizes: [1_000, 10_000, 50_000],
  notes: [
    'scaling — the lint scenario (same corpus, same commands) at each size; rows the lint scenario measured in the same run are reused. "per cert." is the median time divided by the certificates; the ratio compares it with the smallest size (1.0× is linear).',
  ],
  async run(context) {
    const { sizes, measured, log } = context
    const lintRows = measured.get(lintScenario.name) ?? []
    const reused = new Map()
    for (const row of lintRows) reused.set(Number(row.work.replace(/\D/g, '')), row)
    const missing = sizes.filter((size) => !reused.has(size))
    if (missing.length) {
      log(`scaling: linting ${missing.map((s) => s.toLocaleString('en')).join(', ')} certificates`)
      const rows = await lintScenario.run({ ...context, sizes: missing })
      missing.forEach((size, i) => reused.set(size, rows[i]))
    }
    const perCertificate = (row, size) => (row.certgate ?? row.floor).ms / size
    const baseline = perCertificate(reused.get(sizes[0]), sizes[0])
    return sizes.map((size) => {
      const row = reused.get(size)
      const cost = perCertificate(row, size)
      const floorCost = row.floor ? `, floor ${duration(row.floor.ms / size)}` : ''
      return {
        ...row,
        scenario: 'scaling',
        note: `${duration(cost)} per cert.${floorCost}; ${ratio(cost / baseline)} the ${sizes[0].toLocaleString('en')} cost`,
      }
    })
  },
}
