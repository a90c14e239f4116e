import { execFileSync } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import * as x509 from '../../src/model/x509.js'
import { buildCert } from '../../src/model/build.js'
import { tempDir } from '../helpers/pki.js'
import { rule } from '../../src/rules/weak-key.js'
import { contextFor, issued, judge, serverLeaf } from './context.js'

test('EC P-256 and RSA 2048 keys pass', async () => {
  expect(judge(rule, contextFor(await issued(serverLeaf())))).toEqual([])
  expect(judge(rule, contextFor(await issued(serverLeaf(), { key: 'rsa2048' })))).toEqual([])
})

test('an RSA 1024 key: error in the TLS profiles, warning in rfc5280', async () => {
  const cert = await issued(serverLeaf(), { key: 'rsa1024' })
  const expected = 'RSA key of 1024 bits; at least 2048 are required (BR 6.1.5, NIST SP 800-131A).'
  expect(judge(rule, contextFor(cert))).toEqual([{ severity: 'error', message: expected }])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls', role: 'root' }))).toEqual([
    { severity: 'error', message: expected },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'rfc5280' }))).toEqual([
    { severity: 'warning', message: expected },
  ])
})

test('Ed25519 keys are outside the BR but fine in a private PKI', async () => {
  const cert = await issued(serverLeaf(), { key: 'ed25519' })
  expect(judge(rule, contextFor(cert))).toEqual([
    { severity: 'error', message: expect.stringContaining('Ed25519 key') },
  ])
  expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
})

test('an RSA modulus that is not a multiple of 8 bits fails under the BR (key made by openssl)', () => {
  const dir = tempDir()
  try {
    const pem = join(dir, 'odd.pem')
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2052', '-nodes', '-keyout', join(dir, 'k.pem')].concat([
        '-subj',
        '/CN=odd.test',
        '-days',
        '30',
        '-out',
        pem,
      ]),
      { stdio: 'ignore' },
    )
    const der = new Uint8Array(x509.PemConverter.decode(readFileSync(pem, 'utf8'))[0])
    const cert = buildCert(der, { file: pem, line: 1, index: 0 })
    expect(cert.key).toEqual({ type: 'RSA', bits: 2052 })
    expect(judge(rule, contextFor(cert))).toEqual([
      {
        severity: 'error',
        message: 'RSA modulus of 2052 bits is not a multiple of 8, as the BR require (BR 6.1.5).',
      },
    ])
    expect(judge(rule, contextFor(cert, { profile: 'private-tls' }))).toEqual([])
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
