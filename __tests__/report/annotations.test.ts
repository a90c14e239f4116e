// GitHub shows at most ten error and ten warning annotations per step. The
// run must spend them on what matters: a revoked certificate first, then the
// errors of failing certificates; the same intermediate in every fullchain
// file is one annotation naming the other places; the job summary lists what
// did not fit and says how many. The text report lists a repeated
// certificate's findings once, and the JSON keeps every entry complete.
import { copyFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { resolveOptions } from '../../src/options.js'
import { ANNOTATIONS_SHOWN_PER_LEVEL, planAnnotations, splitByLimit } from '../../src/report/annotations.js'
import { renderSummary } from '../../src/report/summary.js'
import { renderText } from '../../src/report/text.js'
import type { Report } from '../../src/report/types.js'
import { createOpensslPki, type OpensslPki } from '../helpers/openssl-pki.js'
import { issue, tempDir, webPki } from '../helpers/pki.js'

const SITES = 12
/** The intermediate's crl-dp-missing message (the leaves have one of their own). */
const SUBORDINATE_NO_CRL_DP = 'Subordinate CA certificate has no CRL distribution point'
let pki: OpensslPki
let report: Report
let intermediateLine: number

beforeAll(async () => {
  const dir = tempDir('certgate-annotations-')
  // The test PKI's intermediate names no CRL distribution point: crl-dp-missing (error) and
  // aia-ocsp-missing (warning), the same in each of the twelve files that serve it.
  const web = await webPki()
  for (let n = 1; n <= SITES; n++) {
    const leaf = await issue({ cn: `site-${n}.test`, issuer: web.intermediate, key: 'rsa1024', days: 20 })
    writeFileSync(join(dir, `site-${String(n).padStart(2, '0')}.pem`), leaf.pem + web.intermediate.pem)
    intermediateLine = leaf.pem.trimEnd().split('\n').length + 1
  }
  writeFileSync(join(dir, 'web-root.pem'), web.root.pem)
  // A revoked leaf whose stored staple says so, in the file sorted last.
  pki = createOpensslPki(9)
  pki.revoke('leaf-revoked.crt', 'keyCompromise')
  copyFileSync(pki.staple('leaf-revoked', 'staple.der', ['-ndays', 1]), join(dir, 'zz-revoked.ocsp'))
  copyFileSync(pki.path('leaf-revoked.crt'), join(dir, 'zz-revoked.pem'))
  const options = resolveOptions(
    {
      revocation: 'off',
      trust: ['web-root.pem', pki.path('root.crt')],
      issuer: pki.path('intermediate.crt'),
    },
    { inputs: ['.'], cwd: dir },
  )
  report = await check(options)
}, 60_000)
afterAll(() => rmSync(pki.dir, { recursive: true, force: true }))

test('a revoked certificate comes first (its staple file and the certificate), then errors, then warnings', () => {
  const annotations = planAnnotations(report)
  expect(annotations.slice(0, 2)).toEqual([
    expect.objectContaining({
      level: 'error',
      file: 'zz-revoked.ocsp',
      title: 'certgate revocation revoked',
    }),
    expect.objectContaining({ level: 'error', file: 'zz-revoked.pem', title: 'certgate revocation revoked' }),
  ])
  const order = ['error', 'warning', 'notice']
  const levels = annotations.map((a) => order.indexOf(a.level))
  expect(levels).toEqual([...levels].sort((a, b) => a - b))
})

test('the same intermediate in twelve files is one annotation per finding, naming the other places', () => {
  const annotations = planAnnotations(report)
  const crlDp = annotations.filter((a) => a.message.startsWith(SUBORDINATE_NO_CRL_DP))
  expect(crlDp).toHaveLength(1)
  expect(crlDp[0]).toMatchObject({ file: 'site-01.pem', line: intermediateLine })
  expect(crlDp[0].message).toMatch(
    new RegExp(
      `\\(the same certificate also at site-02\\.pem:${intermediateLine}, site-03\\.pem:${intermediateLine}, site-04\\.pem:${intermediateLine} and 8 more\\)$`,
    ),
  )
  // Each leaf is its own certificate: its weak-key error is annotated on its own file.
  expect(annotations.filter((a) => a.title === 'certgate weak-key')).toHaveLength(SITES)
  // The JSON report keeps every occurrence complete.
  const intermediates = report.certificates.filter(
    (c) => c.role === 'intermediate' && c.file.startsWith('site-'),
  )
  expect(intermediates).toHaveLength(SITES)
  for (const c of intermediates) expect(c.findings.map((f) => f.rule)).toContain('crl-dp-missing')
})

test("past GitHub's limit of ten per level, the summary lists the rest and says how many", () => {
  const annotations = planAnnotations(report)
  const { shown, notShown } = splitByLimit(annotations)
  const count = (list: typeof shown, level: string) => list.filter((a) => a.level === level).length
  const errors = count(annotations, 'error')
  const warnings = count(annotations, 'warning')
  expect(errors).toBeGreaterThan(ANNOTATIONS_SHOWN_PER_LEVEL)
  expect(warnings).toBeGreaterThan(ANNOTATIONS_SHOWN_PER_LEVEL)
  expect([count(shown, 'error'), count(shown, 'warning')]).toEqual([
    ANNOTATIONS_SHOWN_PER_LEVEL,
    ANNOTATIONS_SHOWN_PER_LEVEL,
  ])
  expect(notShown).toHaveLength(errors + warnings - 2 * ANNOTATIONS_SHOWN_PER_LEVEL)
  expect(shown[0].title).toBe('certgate revocation revoked')

  const md = renderSummary(report, notShown)
  expect(md).toContain(`### ${notShown.length} annotations not shown on the files`)
  for (const a of notShown) expect(md).toContain(`\`${a.file}:${a.line}\``)
  expect(renderSummary(report)).not.toContain('not shown on the files')
})

test("the text report lists a repeated certificate's findings once and points there from the other files", () => {
  const text = renderText(report, { color: false })
  expect(text.split(SUBORDINATE_NO_CRL_DP)).toHaveLength(2)
  expect(text).toContain(`site-01.pem:${intermediateLine}  error   crl-dp-missing`)
  expect(text).toContain(
    `  site-12.pem:${intermediateLine}  2 findings as listed at site-01.pem:${intermediateLine}`,
  )
  expect(text.match(/weak-key/g)?.length).toBeGreaterThanOrEqual(SITES)
})
