// The SARIF output is what github/codeql-action/upload-sarif accepts: it
// validates against the OASIS SARIF 2.1.0 schema (vendored, see
// __tests__/schemas/README.md), names every rule it uses with its help, and
// locates each result on the file and PEM line (a live endpoint, which is no
// file, by a logical location).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv-draft-04'
import addFormats from 'ajv-formats'
import { check } from '../../src/check.js'
import { resolveOptions } from '../../src/options.js'
import { renderSarif } from '../../src/report/sarif.js'
import type { Report } from '../../src/report/types.js'
import { ext, issue, tempDir, webPki } from '../helpers/pki.js'
import { freePort } from '../helpers/processes.js'

interface Sarif {
  version: string
  runs: {
    tool: {
      driver: { rules: { id: string; help: { text: string }; defaultConfiguration: { level: string } }[] }
    }
    results: {
      ruleId: string
      ruleIndex: number
      level: string
      message: { text: string }
      locations: {
        physicalLocation?: { artifactLocation: { uri: string }; region: { startLine: number } }
        logicalLocations?: { name: string; kind: string }[]
      }[]
    }[]
  }[]
}

const schema = JSON.parse(
  readFileSync(join(process.cwd(), '__tests__/schemas/sarif-schema-2.1.0.json'), 'utf8'),
)
// CommonJS packages: their default export is the module object, the class is on .default.
const ajv = new Ajv.default({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(schema)

let report: Report
let closedPort: number

beforeAll(async () => {
  const dir = tempDir('certgate-sarif-')
  const { root, intermediate } = await webPki()
  const weak = await issue({
    cn: 'weak.example.test',
    issuer: intermediate,
    key: 'rsa1024',
    days: 90,
    extensions: [ext.notCa(), ext.leafKeyUsage(), ext.serverAuth(), ext.san('weak.example.test')],
  })
  writeFileSync(join(dir, 'root.pem'), root.pem)
  writeFileSync(join(dir, 'my site.pem'), '# the web server\n\n' + weak.pem + intermediate.pem)
  writeFileSync(join(dir, 'misordered.pem'), intermediate.pem + weak.pem)
  writeFileSync(join(dir, 'broken.crt'), '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
  closedPort = await freePort()
  const options = resolveOptions(
    {
      revocation: 'off',
      trust: join(dir, 'root.pem'),
      endpoint: `127.0.0.1:${closedPort}`,
      timeout: '2s',
      retries: '0',
    },
    { inputs: ['my site.pem', 'misordered.pem', 'broken.crt'], cwd: dir },
  )
  report = await check(options)
}, 60_000)

test('the SARIF log validates against the SARIF 2.1.0 schema', () => {
  const sarif = renderSarif(report)
  const valid = validate(sarif)
  expect(validate.errors ?? []).toEqual([])
  expect(valid).toBe(true)
})

test('the schema check can fail: a result without a message is rejected', () => {
  const sarif = renderSarif(report) as Sarif
  const broken = structuredClone(sarif) as unknown as { runs: { results: Record<string, unknown>[] }[] }
  delete broken.runs[0].results[0].message
  expect(validate(broken)).toBe(false)
})

test('every result names a described rule and sits on the file and PEM line of its certificate', () => {
  const sarif = renderSarif(report) as Sarif
  const { rules } = sarif.runs[0].tool.driver
  const results = sarif.runs[0].results
  for (const r of results) {
    expect(rules[r.ruleIndex].id).toBe(r.ruleId)
    expect(rules[r.ruleIndex].help.text.length).toBeGreaterThan(20)
  }
  const where = results.map((r) => {
    const p = r.locations[0].physicalLocation
    const l = r.locations[0].logicalLocations?.[0]
    return `${r.ruleId} ${r.level} ${p ? `${p.artifactLocation.uri}:${p.region.startLine}` : `${l!.kind} ${l!.name}`}`
  })
  expect(where).toEqual(
    expect.arrayContaining([
      'weak-key error my%20site.pem:3',
      'chain-order error misordered.pem:1',
      'parse-error error broken.crt:1',
      `endpoint-unreachable error endpoint 127.0.0.1:${closedPort}`,
    ]),
  )
  // One result per finding in the report, nothing dropped.
  const findings =
    report.certificates.reduce((n, c) => n + c.findings.length, 0) +
    report.files.reduce((n, f) => n + f.findings.length, 0) +
    report.endpoints.reduce((n, e) => n + e.findings.length, 0)
  expect(results).toHaveLength(findings)
})
