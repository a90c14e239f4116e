// Path building and the roles it gives, judged as users see them (check() on
// files openssl made) and compared with `openssl verify` where OpenSSL's
// verdict is the one to match.
import { afterAll, beforeAll, expect, test } from '@jest/globals'
import { checkFiles, entryOf, rulesOf } from '../helpers/check-run.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'

let certs: OpensslCerts
beforeAll(() => {
  certs = new OpensslCerts()
})
afterAll(() => certs.remove())

const LEAF_WITHOUT_AKI =
  'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:no-aki.test\nauthorityKeyIdentifier = none'

test('300 same-name decoy CAs neither exhaust path building nor make valid leaves signature-invalid', async () => {
  certs.make('decoy-root', { subject: '/CN=Decoy Test Root', extensions: EXTENSIONS.root })
  certs.make('decoy-key', { subject: '/CN=Decoy Key Holder', extensions: EXTENSIONS.root })
  const real = certs.make('decoy-real-ca', {
    subject: '/CN=Decoy Test CA',
    issuer: 'decoy-root',
    extensions: EXTENSIONS.intermediate,
  })
  // Same name as the real CA, another key: 200 copying its subject key identifier, so the AKI
  // does not tell them apart, and 100 with none, so no AKI rules them out.
  const decoy = { subject: '/CN=Decoy Test CA', issuer: 'decoy-root', keyOf: 'decoy-key' }
  const forgedSki = (real.subjectKeyId ?? '').match(/../g)!.join(':')
  const sameSki = certs.makeMany('decoys-same-ski', 200, {
    ...decoy,
    extensions: `basicConstraints = critical, CA:TRUE\nsubjectKeyIdentifier = ${forgedSki}`,
  })
  const noSki = certs.makeMany('decoys-no-ski', 100, {
    ...decoy,
    extensions:
      'basicConstraints = critical, CA:TRUE\nsubjectKeyIdentifier = none\nauthorityKeyIdentifier = none',
  })
  const withAki = certs.make('decoy-leaf', {
    subject: '/CN=decoy.test',
    issuer: 'decoy-real-ca',
    extensions: EXTENSIONS.leaf('decoy.test'),
  })
  const withoutAki = certs.make('decoy-leaf-no-aki', {
    subject: '/CN=no-aki.test',
    issuer: 'decoy-real-ca',
    extensions: LEAF_WITHOUT_AKI,
  })
  // The real CA last, behind every decoy.
  const untrusted = certs.bundle('untrusted.pem', [sameSki, noSki, certs.path('decoy-real-ca')])
  // The leaf is valid (openssl, given the real CA alone, agrees). Among the decoys openssl takes the
  // first certificate that matches by name and key identifier and fails; certgate backtracks (RFC 4158).
  const realOnly = { anchors: certs.path('decoy-root'), untrusted: certs.path('decoy-real-ca') }
  expect(certs.verify(certs.path('decoy-leaf'), realOnly)).toBe('OK')
  expect(certs.verify(certs.path('decoy-leaf-no-aki'), realOnly)).toBe('OK')

  const report = await checkFiles(certs.dir, ['decoy-leaf.crt', 'decoy-leaf-no-aki.crt'], {
    trust: certs.path('decoy-root'),
    issuer: untrusted,
    profile: 'private-tls',
  })
  for (const leaf of [withAki, withoutAki]) {
    const entry = entryOf(report, leaf.sha256)
    expect({ status: entry.chainStatus, chain: entry.chain?.map((c) => c.sha256) }).toEqual({
      status: 'valid',
      chain: [real.sha256, certs.cert('decoy-root').sha256],
    })
    expect(rulesOf(entry)).not.toEqual(expect.arrayContaining(['signature-invalid']))
    expect(rulesOf(entry)).not.toEqual(expect.arrayContaining(['chain-incomplete']))
  }
}, 120_000)

test('a correctly self-signed certificate is not signature-invalid because another shares its subject', async () => {
  const selfSigned = certs.make('self-a', {
    subject: '/CN=self.test',
    extensions:
      'basicConstraints = critical, CA:FALSE\nsubjectAltName = DNS:self.test\nextendedKeyUsage = serverAuth',
  })
  const stranger = certs.make('self-b', {
    subject: '/CN=self.test',
    extensions:
      'basicConstraints = critical, CA:FALSE\nsubjectAltName = DNS:self.test\nextendedKeyUsage = serverAuth',
  })
  expect(
    certs.verify(certs.path('self-a'), { anchors: certs.path('self-a'), untrusted: certs.path('self-b') }),
  ).toBe('OK')
  const report = await checkFiles(certs.dir, ['self-a.crt', 'self-b.crt'], { profile: 'private-tls' })
  for (const cert of [selfSigned, stranger]) {
    const entry = entryOf(report, cert.sha256)
    expect(rulesOf(entry)).not.toContain('signature-invalid')
    expect(entry.findings.find((f) => f.rule === 'chain-incomplete')?.message).toMatch(
      /ends at self-signed CN=self\.test, which is not a trusted root/,
    )
  }
  const trusted = await checkFiles(certs.dir, ['self-a.crt', 'self-b.crt'], {
    profile: 'private-tls',
    trust: certs.path('self-a'),
  })
  expect(entryOf(trusted, selfSigned.sha256).chainStatus).toBe('valid')
})

test('a CA without keyCertSign fails the path of its leaf (RFC 5280 §6.1.4 (n)) and is reported as the CA it is', async () => {
  certs.make('ku-root', { subject: '/CN=KU Root', extensions: EXTENSIONS.root })
  const ca = certs.make('ku-ca', {
    subject: '/CN=KU CA without keyCertSign',
    issuer: 'ku-root',
    extensions:
      'basicConstraints = critical, CA:TRUE\nkeyUsage = critical, digitalSignature, cRLSign\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid',
  })
  const leaf = certs.make('ku-leaf', {
    subject: '/CN=ku.test',
    issuer: 'ku-ca',
    extensions: EXTENSIONS.leaf('ku.test'),
  })
  const openssl = certs.verify(certs.path('ku-leaf'), {
    anchors: certs.path('ku-root'),
    untrusted: certs.path('ku-ca'),
  })
  expect(openssl).toMatch(/invalid CA certificate/)

  const report = await checkFiles(certs.dir, ['ku-ca.crt', 'ku-leaf.crt'], {
    trust: certs.path('ku-root'),
    profile: 'private-tls',
  })
  const caEntry = entryOf(report, ca.sha256)
  expect(caEntry.role).toBe('intermediate')
  expect(rulesOf(caEntry)).toEqual(['key-usage-invalid'])
  const leafEntry = entryOf(report, leaf.sha256)
  expect(leafEntry.chainStatus).toBe('invalid')
  expect(leafEntry.findings.filter((f) => f.rule === 'key-usage-invalid')).toEqual([
    expect.objectContaining({
      rule: 'key-usage-invalid',
      message: expect.stringMatching(/^on its path: .*lacks keyCertSign/),
    }),
  ])
  // Checked alone, with its CA only as --issuer, the leaf still fails the gate.
  const alone = await checkFiles(certs.dir, ['ku-leaf.crt'], {
    trust: certs.path('ku-root'),
    issuer: certs.path('ku-ca'),
    profile: 'private-tls',
  })
  expect(alone.result).toBe('fail')
})

test('a self-signed version 1 root is a root, and the leaves it issues validate as openssl finds', async () => {
  const root = certs.make('v1-root', { subject: '/CN=V1 Root' })
  expect(root.version).toBe(1)
  const leaf = certs.make('v1-leaf', {
    subject: '/CN=v1.test',
    issuer: 'v1-root',
    // No authority key identifier: a v1 root has no subject key identifier to name.
    extensions: LEAF_WITHOUT_AKI.replace('no-aki.test', 'v1.test'),
  })
  expect(certs.verify(certs.path('v1-leaf'), { anchors: certs.path('v1-root') })).toBe('OK')
  const report = await checkFiles(certs.dir, ['v1-root.crt', 'v1-leaf.crt'], {
    trust: certs.path('v1-root'),
    profile: 'private-tls',
  })
  const rootEntry = entryOf(report, root.sha256)
  expect(rootEntry.role).toBe('root')
  expect(rulesOf(rootEntry)).not.toContain('san-missing')
  expect(rulesOf(rootEntry)).not.toContain('eku-server-auth-missing')
  expect(entryOf(report, leaf.sha256).chainStatus).toBe('valid')
})

test('a root whose extendedKeyUsage includes OCSPSigning is not judged as a delegated responder', async () => {
  const root = certs.make('eku-root', {
    subject: '/CN=EKU Root',
    extensions: `${EXTENSIONS.root}\nextendedKeyUsage = serverAuth, OCSPSigning`,
  })
  const report = await checkFiles(certs.dir, ['eku-root.crt'], {
    trust: certs.path('eku-root'),
    profile: 'private-tls',
  })
  const entry = entryOf(report, root.sha256)
  expect(entry.role).toBe('root')
  expect(rulesOf(entry)).not.toContain('ocsp-responder-cert-invalid')
})
