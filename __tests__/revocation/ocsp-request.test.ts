// The OCSP request encoded from the Cert model must be byte for byte the one
// `openssl ocsp -reqout` builds for the same certificates: same CertID hash
// AlgorithmIdentifier, issuer name and key hashes, and serial as encoded.
import { afterAll, describe, expect, test } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildOcspRequest, certIdDer } from '../../src/revocation/ocsp/request.js'
import { ext, issue, tempDir, writePem, type Issued, type KeySpec } from '../helpers/pki.js'

const dir = tempDir('certgate-ocsp-request-')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function opensslRequest(leaf: Issued, issuer: Issued, hash: 'sha1' | 'sha256'): string {
  const name = `${leaf.model.sha256.slice(0, 12)}-${hash}`
  const out = join(dir, `${name}.req`)
  execFileSync(
    'openssl',
    [
      // The digest option applies to the -cert options after it.
      ...['ocsp', `-${hash}`, '-issuer', writePem(dir, `${name}-issuer.pem`, issuer)],
      ...['-cert', writePem(dir, `${name}-leaf.pem`, leaf), '-no_nonce', '-reqout', out],
    ],
    { stdio: 'ignore' },
  )
  return readFileSync(out).toString('hex')
}

describe.each<KeySpec>(['ec256', 'rsa2048'])('a request for a leaf of an %s issuer', (key) => {
  test.each(['01', '7f', '00ff', '0100', undefined])('serial %s: as openssl builds it', async (serial) => {
    const ca = await issue({ cn: `request test CA ${key}`, key, extensions: [ext.ca(), ext.caKeyUsage()] })
    const leaf = await issue({ cn: 'leaf.test', issuer: ca, serial, extensions: [ext.notCa()] })
    for (const hash of ['sha1', 'sha256'] as const) {
      const request = buildOcspRequest(leaf.model, ca.model, hash, false)
      expect(Buffer.from(request.der).toString('hex')).toBe(opensslRequest(leaf, ca, hash))
      expect(request.nonce).toBeUndefined()
      expect(Buffer.from(request.der).toString('hex')).toContain(
        certIdDer(leaf.model, ca.model, hash).toString('hex'),
      )
    }
  })
})

test('a nonce is 32 fresh random bytes in the request extensions, wrapped in an OCTET STRING', async () => {
  const ca = await issue({ cn: 'nonce test CA', extensions: [ext.ca(), ext.caKeyUsage()] })
  const leaf = await issue({ cn: 'leaf.test', issuer: ca, extensions: [ext.notCa()] })
  const first = buildOcspRequest(leaf.model, ca.model, 'sha1', true)
  const second = buildOcspRequest(leaf.model, ca.model, 'sha1', true)
  expect(first.nonce).toHaveLength(32)
  expect(Buffer.from(first.nonce!).equals(Buffer.from(second.nonce!))).toBe(false)
  const file = join(dir, 'nonce.req')
  writeFileSync(file, first.der)
  const text = execFileSync('openssl', ['ocsp', '-reqin', file, '-req_text']).toString()
  expect(text).toContain('OCSP Nonce')
  expect(text.replace(/[\s:]/g, '').toLowerCase()).toContain(
    `0420${Buffer.from(first.nonce!).toString('hex')}`,
  )
})

test('nonces stay unique and unchanged across many requests (beyond one draw from the random source)', async () => {
  const ca = await issue({ cn: 'nonce pool CA', extensions: [ext.ca(), ext.caKeyUsage()] })
  const leaf = await issue({ cn: 'leaf.test', issuer: ca, extensions: [ext.notCa()] })
  const requests = Array.from({ length: 1000 }, () => buildOcspRequest(leaf.model, ca.model, 'sha1', true))
  // What was sent, read back from each request's DER after all were built: a nonce kept for the
  // echo check must still be the one its request carries.
  const sent = requests.map((r) => Buffer.from(r.der).subarray(-32).toString('hex'))
  expect(requests.map((r) => Buffer.from(r.nonce!).toString('hex'))).toEqual(sent)
  expect(new Set(sent).size).toBe(requests.length)
  // Not a counter or a repeated pattern: every byte value turns up across 32,000 random bytes.
  expect(new Set(Buffer.from(sent.join(''), 'hex')).size).toBe(256)
})
