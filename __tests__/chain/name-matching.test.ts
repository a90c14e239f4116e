// Names are compared as RFC 5280 §7.1 says, in every place certgate compares
// them: a CA's subject and the issuer its leaves spell (in another case, with
// other spaces, as UTF8String instead of PrintableString) chain, a delegated
// OCSP responder issued under such a spelling is authorised, a CRL naming its
// issuer so is the issuer's, and directoryName constraints fold alike. Every
// certificate is made by openssl and every verdict compared with openssl's.
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { TrustAnchors } from '../../src/chain/anchors.js'
import { buildPath } from '../../src/chain/path.js'
import { IssuerPool } from '../../src/chain/pool.js'
import type { Cert } from '../../src/model/cert.js'
import { nameKey, prepareValue } from '../../src/model/name-match.js'
import { judgeCrl } from '../../src/revocation/crl/check.js'
import { indexCrl } from '../../src/revocation/crl/entries.js'
import { judgeOcspResponse } from '../../src/revocation/ocsp/verify.js'
import { revocationOptions } from '../../src/revocation/types.js'
import { EXTENSIONS, OpensslCerts } from '../helpers/openssl-certs.js'

let certs: OpensslCerts
beforeAll(() => {
  certs = new OpensslCerts()
})
afterAll(() => certs.remove())

const ROOT_SUBJECT = '/O=Example Org/CN=Name Test Root'

/** The spellings of the root's name a leaf's issuer field may carry, with openssl's verdict expected. */
const SPELLINGS: { name: string; subject: string; stringMask?: 'utf8only'; matches: boolean }[] = [
  { name: 'the same bytes', subject: ROOT_SUBJECT, matches: true },
  { name: 'another case', subject: '/O=EXAMPLE ORG/CN=name test ROOT', matches: true },
  { name: 'extra spaces', subject: '/O=  Example   Org /CN=Name  Test Root  ', matches: true },
  { name: 'UTF8String for PrintableString', subject: ROOT_SUBJECT, stringMask: 'utf8only', matches: true },
  {
    name: 'UTF8String, case and spaces at once',
    subject: '/O=example  ORG/CN= NAME test root',
    stringMask: 'utf8only',
    matches: true,
  },
  { name: 'another name', subject: '/O=Example Org/CN=Name Test Root 2', matches: false },
  { name: 'RDNs in another order', subject: '/CN=Name Test Root/O=Example Org', matches: false },
]

describe('a leaf whose issuer spells its CA another way', () => {
  let root: Cert
  beforeAll(() => {
    root = certs.make('root', { subject: ROOT_SUBJECT, extensions: EXTENSIONS.root })
  })

  test.each(SPELLINGS.map((s, i) => [s.name, s, i] as const))('%s', async (_, spelling, i) => {
    // A twin of the root: its key, the spelling under test. What it signs carries that spelling as issuer.
    certs.make(`twin-${i}`, {
      subject: spelling.subject,
      keyOf: 'root',
      stringMask: spelling.stringMask,
      extensions: EXTENSIONS.root,
    })
    const leaf = certs.make(`leaf-${i}`, {
      subject: `/CN=leaf${i}.test`,
      issuer: `twin-${i}`,
      extensions: EXTENSIONS.leaf(`leaf${i}.test`),
    })
    const openssl = certs.verify(certs.path(`leaf-${i}`), { anchors: certs.path('root') })
    const path = await buildPath(leaf, {
      pool: new IssuerPool([leaf]),
      anchors: new TrustAnchors({ trusted: [root] }),
      now: new Date(),
    })
    expect({ openssl: openssl === 'OK', certgate: path.status }).toEqual({
      openssl: spelling.matches,
      certgate: spelling.matches ? 'valid' : 'incomplete',
    })
  })
})

test('a delegated OCSP responder issued under another spelling of its CA is authorised, as openssl finds', async () => {
  certs.make('ocsp-ca', { subject: '/O=Example Org/CN=OCSP Test CA', extensions: EXTENSIONS.root })
  certs.make('ocsp-ca-twin', {
    subject: '/O=example org/CN=OCSP  TEST ca',
    keyOf: 'ocsp-ca',
    stringMask: 'utf8only',
    extensions: EXTENSIONS.root,
  })
  const leaf = certs.make('ocsp-leaf', {
    subject: '/CN=ocsp-leaf.test',
    issuer: 'ocsp-ca',
    extensions: EXTENSIONS.leaf('ocsp-leaf.test'),
  })
  certs.make('responder', {
    subject: '/CN=OCSP Responder',
    issuer: 'ocsp-ca-twin',
    extensions:
      'basicConstraints = critical, CA:FALSE\nkeyUsage = critical, digitalSignature\nextendedKeyUsage = OCSPSigning\nnoCheck = ignored',
  })
  const serial = certs.openssl(['x509', '-in', 'ocsp-leaf.crt', '-noout', '-serial']).trim().split('=')[1]
  writeFileSync(join(certs.dir, 'index.txt'), `V\t491231235959Z\t\t${serial}\tunknown\t/CN=ocsp-leaf.test\n`)
  certs.openssl([
    'ocsp',
    '-issuer',
    'ocsp-ca.crt',
    '-cert',
    'ocsp-leaf.crt',
    '-no_nonce',
    '-reqout',
    'req.der',
  ])
  certs.openssl([
    'ocsp',
    '-index',
    'index.txt',
    '-rsigner',
    'responder.crt',
    '-rkey',
    'responder.key',
    '-CA',
    'ocsp-ca.crt',
    '-reqin',
    'req.der',
    '-respout',
    'resp.der',
    '-ndays',
    '1',
  ])
  const openssl = certs.openssl([
    'ocsp',
    '-respin',
    'resp.der',
    '-issuer',
    'ocsp-ca.crt',
    '-CAfile',
    'ocsp-ca.crt',
    '-cert',
    'ocsp-leaf.crt',
  ])
  expect(openssl).toContain('ocsp-leaf.crt: good')
  const judgement = await judgeOcspResponse({
    der: new Uint8Array(readFileSync(join(certs.dir, 'resp.der'))),
    issuers: [certs.cert('ocsp-ca')],
    serial: leaf.serial,
    options: revocationOptions(),
  })
  expect(judgement.revocation).toMatchObject({ status: 'good' })
  expect(judgement.signer?.subject).toBe('CN=OCSP Responder')
})

test('a CRL whose issuer name is spelled another way is its CA’s, as openssl finds', () => {
  certs.make('crl-ca', { subject: '/O=Example Org/CN=CRL Test CA', extensions: EXTENSIONS.root })
  certs.make('crl-ca-twin', {
    subject: '/O=EXAMPLE org/CN=crl test  CA',
    keyOf: 'crl-ca',
    stringMask: 'utf8only',
    extensions: EXTENSIONS.root,
  })
  const leaf = certs.make('crl-leaf', {
    subject: '/CN=crl-leaf.test',
    issuer: 'crl-ca',
    extensions: EXTENSIONS.leaf('crl-leaf.test'),
  })
  writeFileSync(join(certs.dir, 'crl-index.txt'), '')
  writeFileSync(join(certs.dir, 'crlnumber'), '01\n')
  writeFileSync(
    join(certs.dir, 'crl.cnf'),
    '[ ca ]\ndefault_ca = twin\n[ twin ]\ndatabase = crl-index.txt\ncrlnumber = crlnumber\ncertificate = crl-ca-twin.crt\nprivate_key = crl-ca.key\ndefault_md = sha256\ndefault_crl_days = 7\n',
  )
  certs.openssl(['ca', '-config', 'crl.cnf', '-gencrl', '-out', 'twin.crl'])
  expect(certs.openssl(['crl', '-in', 'twin.crl', '-CAfile', 'crl-ca.crt', '-noout'])).toBe('')
  certs.openssl(['crl', '-in', 'twin.crl', '-outform', 'DER', '-out', 'twin.der'])
  const crl = indexCrl(new Uint8Array(readFileSync(join(certs.dir, 'twin.der'))))
  const verdict = judgeCrl(crl, 'http://crl.test/ca.crl', leaf, certs.cert('crl-ca'), revocationOptions())
  expect(verdict).toMatchObject({ status: 'good' })
})

test('name keys: string types, space and ASCII case fold; other characters and non-string values do not', () => {
  expect(prepareValue('  Name \t Test\n\nRoot  ')).toBe('name test root')
  // OpenSSL and Chromium fold ASCII only: 'Ü' and 'ü' are different names to the clients certgate gates for.
  expect(prepareValue('ÜBER Root')).toBe('Über root')
  const name = (tag: number, value: string, encoding: BufferEncoding = 'latin1') => {
    const bytes = Buffer.from(value, encoding)
    const attribute = Buffer.concat([Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03, tag, bytes.length]), bytes])
    const sequence = Buffer.concat([Buffer.from([0x30, attribute.length]), attribute])
    const set = Buffer.concat([Buffer.from([0x31, sequence.length]), sequence])
    return nameKey(new Uint8Array(Buffer.concat([Buffer.from([0x30, set.length]), set])))
  }
  const printable = name(0x13, 'Example CA')
  expect(name(0x0c, 'example  ca ', 'utf8')).toBe(printable)
  const bmp = (value: string) => Buffer.from(value, 'utf16le').swap16().toString('latin1')
  expect(name(0x1e, bmp('EXAMPLE CA'))).toBe(printable)
  expect(name(0x16, 'EXAMPLE CA')).toBe(printable)
  // NumericString and OCTET STRING values compare as bytes, as OpenSSL's canonical form keeps them.
  expect(name(0x04, 'Example CA')).not.toBe(printable)
  expect(nameKey(new Uint8Array([0x30, 0x00]))).toBe('')
})

test.each([
  ['spelled in another case, the leaf inside it', '/O=Example Org/CN=nc-in.test', true],
  ['the leaf outside it', '/O=Other Org/CN=nc-out.test', false],
])('a directoryName constraint, %s: certgate and openssl agree', async (_, subject, inside) => {
  const name = inside ? 'nc-in' : 'nc-out'
  const root = certs.make(`${name}-root`, { subject: '/CN=NC Root', extensions: EXTENSIONS.root })
  certs.make(`${name}-ca`, {
    subject: '/O=Example Org/CN=NC CA',
    issuer: `${name}-root`,
    extensions: `${EXTENSIONS.intermediate}\nnameConstraints = critical, permitted;dirName:nc_dir\n[ nc_dir ]\nO = EXAMPLE  ORG`,
  })
  const leaf = certs.make(name, {
    subject,
    issuer: `${name}-ca`,
    extensions: EXTENSIONS.leaf(`${name}.test`),
  })
  const openssl = certs.verify(certs.path(name), {
    anchors: certs.path(`${name}-root`),
    untrusted: certs.path(`${name}-ca`),
  })
  const path = await buildPath(leaf, {
    pool: new IssuerPool([certs.cert(`${name}-ca`)]),
    anchors: new TrustAnchors({ trusted: [root] }),
    now: new Date(),
  })
  expect({ openssl: openssl === 'OK', certgate: path.status }).toEqual({
    openssl: inside,
    certgate: inside ? 'valid' : 'invalid',
  })
})
