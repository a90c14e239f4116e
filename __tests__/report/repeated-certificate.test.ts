// Report building stays linear (issue 12): one certificate repeated 20,000
// times in one file is checked and rendered in every format the shells write
// (text, the action's log group, job summary and annotations, SARIF, JSON),
// each saying it once with the count. Built per certificate by copying the
// group so far, the text alone took seconds; bench/ measures it, this test
// only needs it to finish with the right content.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { resolveOptions } from '../../src/options.js'
import { planAnnotations } from '../../src/report/annotations.js'
import { renderSarif } from '../../src/report/sarif.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderText } from '../../src/report/text.js'
import type { Report } from '../../src/report/types.js'
import { ext, issue, tempDir } from '../helpers/pki.js'

const COPIES = 20_000

let dir: string
let report: Report

beforeAll(async () => {
  dir = tempDir('certgate-repeated-')
  const cert = await issue({ cn: 'repeated.test', extensions: [ext.notCa(), ext.san('repeated.test')] })
  writeFileSync(join(dir, 'repeated.pem'), cert.pem.repeat(COPIES))
  report = await check(resolveOptions({ revocation: 'off' }, { inputs: ['repeated.pem'], cwd: dir }))
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('every copy is in the report, each at its own line', () => {
  expect(report.certificates).toHaveLength(COPIES)
  expect(report.files).toEqual([expect.objectContaining({ file: 'repeated.pem', certificates: COPIES })])
  const lines = new Set(report.certificates.map((c) => c.line))
  expect(lines.size).toBe(COPIES)
  expect(JSON.parse(JSON.stringify(report)).certificates).toHaveLength(COPIES)
})

test('the text lists the findings once and points every later copy there', () => {
  const text = renderText(report, { color: false })
  const first = report.certificates[0]
  const shown = first.findings.filter((f) => f.severity !== 'info').length
  expect(shown).toBeGreaterThan(0)
  expect(text.split('\n').filter((l) => l.includes(`as listed at repeated.pem:${first.line}`))).toHaveLength(
    COPIES - 1,
  )
  expect(text).toContain(`${COPIES} certificates in 1 file`)
})

test('the summary is a row per kind of copy naming the others, and annotations name the count', () => {
  // The first copy has no chain-duplicate finding; every later one has.
  const summary = renderSummary(report)
  expect(summary).toContain(`and ${COPIES - 2} more files`)
  const annotations = planAnnotations(report)
  // chain-duplicate names each copy's index, so each copy has its own; the other findings are one each.
  const duplicates = annotations.filter((a) => a.title === 'certgate chain-duplicate')
  const shared = annotations.filter((a) => a.title !== 'certgate chain-duplicate')
  expect(duplicates).toHaveLength(COPIES - 1)
  expect(shared.length).toBeGreaterThan(0)
  for (const a of shared) expect(a.message).toMatch(/\(the same certificate also at .* and 199\d\d more\)$/)
})

test('SARIF carries a result per finding of every copy', () => {
  const sarif = renderSarif(report) as { runs: { results: unknown[] }[] }
  const findings = report.certificates.reduce((n, c) => n + c.findings.filter((f) => !f.ignored).length, 0)
  expect(sarif.runs[0].results.length).toBeGreaterThanOrEqual(findings)
})
