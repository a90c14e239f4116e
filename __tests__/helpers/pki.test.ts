import { execFileSync } from 'node:child_process'
import { ext, issue, tempDir, webPki, writePem } from './pki.js'

test('the test PKI makes chains openssl verifies', async () => {
  const { root, intermediate, leaf } = await webPki()
  const dir = tempDir()
  const rootPath = writePem(dir, 'root.pem', root)
  const interPath = writePem(dir, 'inter.pem', intermediate)
  const leafPath = writePem(dir, 'leaf.pem', leaf)
  const out = execFileSync('openssl', [
    'verify',
    '-CAfile',
    rootPath,
    '-untrusted',
    interPath,
    leafPath,
  ]).toString()
  expect(out).toContain('OK')
  expect(leaf.model.ocspUrls).toEqual(['http://ocsp.example.test'])
  expect(leaf.model.extKeyUsage?.oids).toEqual(['1.3.6.1.5.5.7.3.1'])
  expect(leaf.model.issuerKey).toBe(intermediate.model.subjectKey)
})

test('weak keys and SHA-1 signatures can be made on purpose', async () => {
  const weak = await issue({ cn: 'weak', key: 'rsa1024', hash: 'SHA-1', extensions: [ext.mustStaple()] })
  expect(weak.model.key).toMatchObject({ type: 'RSA', bits: 1024, exponent: 65537n })
  expect(weak.model.signatureAlgorithm.hash).toBe('SHA-1')
  expect(weak.model.mustStaple).toBe(true)
})
