// A chain file is judged as the server sending it would be: with only that
// file and the trust anchors, as `openssl verify -untrusted FILE -CAfile
// ANCHORS FILE` does. On every file built here openssl's verdict and
// certgate's agree (chain-incomplete on the file exactly when openssl fails),
// whatever else the scan holds; certificates on no path of the leaf are
// chain-unrelated.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { checkFiles, entryOf } from '../helpers/check-run.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'

let certs: OpensslCerts
beforeAll(() => {
  certs = new OpensslCerts()
  // root → intermediate-1 → intermediate-2 → leaf, plus an unrelated CA and its own leaf.
  certs.make('root', { subject: '/CN=Served Root', extensions: EXTENSIONS.root })
  certs.make('inter-1', {
    subject: '/CN=Served Intermediate 1',
    issuer: 'root',
    extensions: EXTENSIONS.intermediate,
  })
  certs.make('inter-2', {
    subject: '/CN=Served Intermediate 2',
    issuer: 'inter-1',
    extensions: EXTENSIONS.intermediate,
  })
  certs.make('leaf', {
    subject: '/CN=served.test',
    issuer: 'inter-2',
    extensions: EXTENSIONS.leaf('served.test'),
  })
  certs.make('other-ca', {
    subject: '/CN=Other Intermediate',
    issuer: 'root',
    extensions: EXTENSIONS.intermediate,
  })
})
afterAll(() => certs.remove())

/** Chain files as they are found in repositories, with what certgate must say on top of openssl's verdict. */
const FILES: { name: string; holds: string[]; complete: boolean; unrelated: string[] }[] = [
  {
    name: 'the leaf and its two intermediates',
    holds: ['leaf', 'inter-2', 'inter-1'],
    complete: true,
    unrelated: [],
  },
  {
    name: 'the whole chain with its root',
    holds: ['leaf', 'inter-2', 'inter-1', 'root'],
    complete: true,
    unrelated: [],
  },
  { name: 'a missing middle intermediate', holds: ['leaf', 'inter-2'], complete: false, unrelated: [] },
  {
    name: 'an unrelated intermediate instead of the right ones',
    holds: ['leaf', 'other-ca'],
    complete: false,
    unrelated: ['other-ca'],
  },
  {
    name: 'the right chain plus an unrelated intermediate',
    holds: ['leaf', 'inter-2', 'inter-1', 'other-ca'],
    complete: true,
    unrelated: ['other-ca'],
  },
  {
    name: 'the leaf and the root, the intermediates elsewhere',
    holds: ['leaf', 'root'],
    complete: false,
    unrelated: [],
  },
]

test.each(FILES.map((f, i) => [f.name, f, i] as const))(
  '%s: certgate and openssl verify agree',
  async (_, file, i) => {
    const path = certs.bundle(`chain-${i}.pem`, file.holds)
    const openssl = certs.verify(path, { anchors: certs.path('root'), untrusted: path })
    expect(openssl === 'OK').toBe(file.complete)
    // Every intermediate is in the scan too, so the path always closes somewhere: only the served judgement can fail it.
    const report = await checkFiles(certs.dir, [`chain-${i}.pem`, 'inter-1.crt', 'inter-2.crt'], {
      trust: certs.path('root'),
      profile: 'private-tls',
    })
    const inFile = report.certificates.filter((c) => c.file === `chain-${i}.pem`)
    const leaf = entryOf(report, certs.cert('leaf').sha256, `chain-${i}.pem`)
    expect(leaf.chainStatus).toBe('valid')
    const incomplete = leaf.findings.filter((f) => f.rule === 'chain-incomplete')
    expect({ servedIncomplete: incomplete.length > 0 }).toEqual({ servedIncomplete: openssl !== 'OK' })
    const unrelated = inFile.filter((c) => c.findings.some((f) => f.rule === 'chain-unrelated'))
    expect(unrelated.map((c) => c.sha256)).toEqual(file.unrelated.map((name) => certs.cert(name).sha256))
  },
)

test('a file whose chain closes only with a certificate from elsewhere names it, and fails the gate', async () => {
  const path = certs.bundle('short.pem', ['leaf', 'inter-2'])
  expect(certs.verify(path, { anchors: certs.path('root'), untrusted: path })).not.toBe('OK')
  const report = await checkFiles(certs.dir, ['short.pem', 'inter-1.crt'], {
    trust: certs.path('root'),
    profile: 'private-tls',
  })
  const leaf = entryOf(report, certs.cert('leaf').sha256, 'short.pem')
  expect(leaf.findings.find((f) => f.rule === 'chain-incomplete')).toMatchObject({
    severity: 'error',
    message: expect.stringMatching(
      /^served as it is, this file's chain stops at CN=Served Intermediate 2: clients also need CN=Served Intermediate 1 \(from inter-1\.crt\)/,
    ),
  })
  expect(report.result).toBe('fail')
})

test('a lone leaf and a CA bundle are not served chains: nothing is judged on them', async () => {
  certs.bundle('bundle.pem', ['inter-1', 'other-ca', 'root'])
  const report = await checkFiles(certs.dir, ['leaf.crt', 'bundle.pem', 'inter-2.crt'], {
    trust: certs.path('root'),
    profile: 'private-tls',
  })
  const rules = report.certificates.flatMap((c) => c.findings.map((f) => f.rule))
  expect(rules).not.toContain('chain-unrelated')
  expect(rules).not.toContain('chain-incomplete')
})
