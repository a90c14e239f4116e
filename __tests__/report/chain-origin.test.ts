// Each certificate in a report's `chain` says where it came from (`origin`):
// a scanned file, --issuer, --trust, the system root store, or the caIssuers
// URL it was fetched from. `file` and `line` stay for older readers.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { rootCertificates } from 'node:tls'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { analyzeChains } from '../../src/chain/index.js'
import { decodeCertificates } from '../../src/chain/decode.js'
import { check } from '../../src/check.js'
import { resolveOptions, type RawSettings } from '../../src/options.js'
import type { CertificateReport } from '../../src/report/types.js'
import { ext, issue, tempDir, webPki, type Issued } from '../helpers/pki.js'

let root: Issued
let intermediate: Issued
let dir: string
let server: Server

beforeAll(async () => {
  ;({ root, intermediate } = await webPki())
  dir = tempDir('certgate-chain-origin-')
  writeFileSync(join(dir, 'root.pem'), root.pem)
  writeFileSync(join(dir, 'intermediate.pem'), intermediate.pem)
  server = createServer((req, res) => {
    if (req.url === '/intermediate.der') res.writeHead(200).end(Buffer.from(intermediate.der))
    else res.writeHead(404).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
})
afterAll(() => new Promise((resolve) => server.close(resolve)))

/** The report entry of a leaf written alone to `name`, checked with `settings`. */
async function leafEntry(name: string, leaf: Issued, settings: RawSettings): Promise<CertificateReport> {
  writeFileSync(join(dir, name), leaf.pem)
  const options = resolveOptions(
    { revocation: 'off', profile: 'rfc5280', trust: 'root.pem', ...settings },
    { inputs: [name], cwd: dir },
  )
  const report = await check(options)
  return report.certificates.find((c) => c.file === name)!
}

test('scanned and --trust certificates: origin scan and trust, with their file and line', async () => {
  const leaf = await issue({ cn: 'scanned.test', issuer: intermediate })
  writeFileSync(join(dir, 'scanned.pem'), leaf.pem + intermediate.pem)
  const options = resolveOptions(
    { revocation: 'off', profile: 'rfc5280', trust: 'root.pem' },
    { inputs: ['scanned.pem'], cwd: dir },
  )
  const entry = (await check(options)).certificates.find((c) => c.subject === 'CN=scanned.test')!
  expect(entry.chain).toEqual([
    expect.objectContaining({
      origin: 'scan',
      file: 'scanned.pem',
      line: leaf.pem.trimEnd().split('\n').length + 1,
    }),
    expect.objectContaining({ origin: 'trust', file: 'root.pem', line: 1, anchor: true }),
  ])
})

test('an --issuer certificate: origin issuer', async () => {
  const leaf = await issue({ cn: 'issuer.test', issuer: intermediate })
  const entry = await leafEntry('issuer-leaf.pem', leaf, { issuer: 'intermediate.pem' })
  expect(entry.chain?.map((link) => link.origin)).toEqual(['issuer', 'trust'])
})

test('an intermediate fetched from caIssuers: origin caIssuers with the URL', async () => {
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/intermediate.der`
  const leaf = await issue({ cn: 'fetched.test', issuer: intermediate, extensions: [ext.aia([], [url])] })
  const entry = await leafEntry('fetched-leaf.pem', leaf, {
    revocation: 'crl',
    'allow-private-network': true,
  })
  expect(entry.chain?.[0]).toEqual({
    sha256: intermediate.model.sha256,
    subject: intermediate.model.subject,
    origin: 'caIssuers',
    url,
    file: url,
    line: 1,
  })
  expect(entry.chain?.[1]).toMatchObject({ origin: 'trust', anchor: true })
})

test("an anchor from Node's root store: origin system, not the placeholder file name", async () => {
  // No test can hold a public root's key, so the path is the one buildPath reports for such a chain.
  const [systemRoot] = decodeCertificates(Buffer.from(rootCertificates[0]), 'system roots')
  const leaf = await issue({ cn: 'public.test' })
  const chains = await analyzeChains([], {
    options: resolveOptions({}, { inputs: [], cwd: dir }),
    trusted: [],
    issuers: [],
  })
  const path = {
    status: 'valid' as const,
    path: [leaf.model, systemRoot],
    anchorSource: 'system' as const,
    problems: [],
  }
  expect(chains.originOf(systemRoot, path)).toBe('system')
})
