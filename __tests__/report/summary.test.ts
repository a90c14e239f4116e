// The job summary read at a glance: verdict first, failures at the top of the
// table, the same intermediate in many files as one row, a chain diagram
// whose nodes say what is wrong — and subjects from untrusted certificates
// that cannot break the table, inject markup, or escape a Mermaid label.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { check } from '../../src/check.js'
import { resolveOptions } from '../../src/options.js'
import { chainDiagram } from '../../src/report/mermaid.js'
import { renderSummary } from '../../src/report/summary.js'
import type { Report } from '../../src/report/types.js'
import { compliantCa, ext, issue, leafExtensions, tempDir, type Issued } from '../helpers/pki.js'

/** Closes a Mermaid label, starts a directive, breaks a table row, opens an element and a link. */
const HOSTILE = 'evil"] --> x; click c0 | <img src=x onerror=1> [a](javascript:x)'

/** openssl takes the subject verbatim (the test PKI's DN string parser would reinterpret the quotes). */
function hostileCertificate(): string {
  const d = tempDir('certgate-hostile-')
  const args = ['req', '-x509', '-newkey', 'rsa:1024', '-nodes', '-days', '30', '-subj', `/CN=${HOSTILE}`]
  execFileSync('openssl', [...args, '-keyout', join(d, 'key.pem'), '-out', join(d, 'cert.pem')], {
    stdio: 'ignore',
  })
  return readFileSync(join(d, 'cert.pem'), 'utf8')
}

let report: Report

async function reportFor(files: Record<string, string>, trust: string): Promise<Report> {
  const d = tempDir('certgate-summary-')
  for (const [name, content] of Object.entries(files)) writeFileSync(join(d, name), content)
  writeFileSync(join(d, 'root.pem'), trust)
  const options = resolveOptions(
    { revocation: 'off', trust: join(d, 'root.pem') },
    { inputs: Object.keys(files), cwd: d },
  )
  return check(options)
}

beforeAll(async () => {
  const { root, intermediate } = await compliantCa('Summary')
  const orphanIssuer = await issue({ cn: 'Unknown Issuer', extensions: [ext.ca(), ext.caKeyUsage()] })
  const leaf = (cn: string, issuer: Issued, extra = {}) =>
    issue({ cn, issuer, days: 90, extensions: leafExtensions('site.example.test'), ...extra })
  const files: Record<string, string> = {}
  for (const name of ['a', 'b', 'c'])
    files[`${name}.pem`] = (await leaf(`${name}.example.test`, intermediate)).pem + intermediate.pem
  files['weak.pem'] =
    (await leaf('weak.example.test', intermediate, { key: 'rsa1024' })).pem + intermediate.pem
  files['hostile.pem'] = hostileCertificate()
  files['orphan.pem'] = (await leaf('orphan.example.test', orphanIssuer)).pem
  report = await reportFor(files, root.pem)
}, 60_000)

test('the verdict comes first and names what failed', () => {
  const md = renderSummary(report)
  expect(md.split('\n')[0]).toBe('## ❌ certgate failed')
  expect(md).toMatch(
    /^\*\*Failed on .*weak-key.*\*\* — \d+ items fail the gate; checked 10 certificates in 6 files\.$/m,
  )
})

test('failures head the table and the intermediate of five files is one row', () => {
  const rows = renderSummary(report)
    .split('\n')
    .filter((l) => /^\| (❌|⚠️|✅) \|/.test(l))
  const firstPassing = rows.findIndex((r) => r.startsWith('| ✅'))
  expect(rows.slice(firstPassing).every((r) => r.startsWith('| ✅'))).toBe(true)
  expect(rows.filter((r) => r.includes('Summary Intermediate'))).toEqual([
    expect.stringContaining('`a.pem:17`<br><sub>and 3 more files</sub>'),
  ])
  expect(rows.find((r) => r.includes('`weak.pem:1`'))).toMatch(/^\| ❌ .*❌ weak-key/)
})

test('a hostile subject cannot break the table or inject markup', () => {
  const hostile = report.certificates.find((c) => c.file === 'hostile.pem' && c.index === 0)!
  expect(hostile.subject).toContain('\\<img src=x onerror=1\\>')
  const md = renderSummary(report)
  const row = md.split('\n').find((l) => l.includes('`hostile.pem:1`'))!
  // Eight cells: the pipes inside the subject are escaped, not cell borders.
  expect(row.split(/(?<!\\)\|/).length - 2).toBe(8)
  expect(md).not.toContain('<img')
  // The brackets of the would-be link are escaped, so no link forms.
  expect(md).not.toMatch(/(?<!\\)\]\(javascript:x\)/)
  expect(md).toContain('\\[a\\](javascript&#58;x)')
  expect(row).toContain('&lt;img src=x onerror=1&gt;')
})

test('the chain diagram draws each certificate once, colours failures and marks a missing issuer', () => {
  const diagram = chainDiagram(report)!
  const lines = diagram.mermaid.split('\n')
  expect(lines[0]).toBe('flowchart LR')
  expect(lines.filter((l) => l.includes('Summary Intermediate'))).toHaveLength(1)
  const idOf = (text: string) => /^\s+(\w+)\[/.exec(lines.find((l) => l.includes(text))!)![1]
  const classLine = (cls: string) =>
    lines.find((l) => l.trim().startsWith('class ') && l.endsWith(` ${cls}`)) ?? ''
  expect(classLine('fail')).toContain(idOf('weak.example.test'))
  expect(classLine('ok')).toContain(idOf('a.example.test'))
  expect(classLine('anchor')).toContain(idOf('Summary Root'))
  expect(lines).toContain(`  ${idOf('orphan.example.test')} -.-> ${idOf('orphan.example.test')}_missing`)
  // The hostile subject is reduced to harmless characters: no quote, bracket, pipe or angle bracket survives.
  const hostile = lines.find((l) => l.includes('evil'))!
  expect(hostile).toMatch(/^\s+c\d+\["evil[^"[\]|<>]*<br\/><small>[^"]*<\/small>"\]$/)
  expect(lines.filter((l) => /^\s*click\b/.test(l))).toEqual([])
})

/** A table row's cells as GitHub splits them: a backslash escapes the next character, whatever it is. */
function cellsOf(row: string): string[] {
  const cells: string[] = []
  let current = ''
  for (let i = 0; i < row.length; i++) {
    if (row[i] === '\\') {
      current += row.slice(i, i + 2)
      i++
    } else if (row[i] === '|') {
      cells.push(current)
      current = ''
    } else current += row[i]
  }
  return [...cells, current].slice(1, -1)
}

test('hostile file names leave the summary structure intact: no heading, column, image, link or element', async () => {
  const { root, intermediate } = await compliantCa('Hostile Names')
  const names = [
    'x\n## ✅ certgate passed\n.pem',
    'a|b|c.pem',
    'back\\|slash.pem',
    '![i](https:x.png).pem',
    '[a](javascript:x).pem',
    '<img src=x onerror=1>.pem',
    'tick`s.pem',
  ]
  // A leaf of its own per file: the same certificate in several files would be one row.
  const files: Record<string, string> = {}
  for (const [i, name] of names.entries()) {
    const cn = `weak${i}.example.test`
    const weak = await issue({
      cn,
      issuer: intermediate,
      key: 'rsa1024',
      days: 90,
      extensions: leafExtensions(cn),
    })
    files[name] = weak.pem + intermediate.pem
  }
  const hostile = await reportFor(files, root.pem)
  const md = renderSummary(hostile)
  const lines = md.split('\n')
  expect(lines.filter((l) => l.startsWith('#'))).toEqual([
    '## ❌ certgate failed',
    '### Certificates',
    '### Chains',
  ])
  const rows = lines.filter((l) => l.startsWith('|'))
  expect(rows.length).toBeGreaterThanOrEqual(2 + names.length)
  for (const row of rows) expect(cellsOf(row)).toHaveLength(8)
  // Each name is one code span in its row, with its line breaks shown as \n.
  expect(rows.some((r) => r.includes('`x\\n## ✅ certgate passed\\n.pem:1`'))).toBe(true)
  expect(rows.some((r) => r.includes("`tick's.pem:1`"))).toBe(true)
  const outsideCode = md.replace(/`[^`\n]*`/g, '')
  expect(outsideCode).not.toMatch(/<img|\]\(/)
  expect(outsideCode).not.toContain('|b|')
})
