// Certificate signatures checked from the DER with node:crypto must give
// OpenSSL's answer (node's X509Certificate.verify) on every issuer/subject
// pair: x509-limbo's chains, and test-PKI certificates of every key type.
import { X509Certificate as NodeX509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { rootCertificates } from 'node:tls'
import { signedPartsOf } from '../../src/chain/certificate-signature.js'
import { signatureVerifies, signatureVerifiesInPool } from '../../src/chain/issuance.js'
import { decodeCertificates } from '../../src/chain/decode.js'
import type { Cert } from '../../src/model/cert.js'
import { buildCert } from '../../src/model/build.js'
import { CONFORMANCE_ABSENT, conformanceVectors } from '../helpers/conformance.js'
import { issue, type Issued } from '../helpers/pki.js'

const limbo = conformanceVectors('x509-limbo')

const openssl = (subject: Cert, issuer: Cert): boolean => {
  try {
    return new NodeX509Certificate(subject.der).verify(new NodeX509Certificate(issuer.der).publicKey)
  } catch {
    return false
  }
}

/** Checks every same-named issuer/subject pair among `certs` against OpenSSL; returns how many there were. */
function expectOpensslAgreement(certs: Cert[]): number {
  let pairs = 0
  for (const subject of certs) {
    for (const issuer of certs.filter((i) => i.subjectKey === subject.issuerKey)) {
      pairs++
      expect([subject.subject, signatureVerifies(subject, issuer)]).toEqual([
        subject.subject,
        openssl(subject, issuer),
      ])
    }
  }
  return pairs
}

// x509-limbo's chains run when the vectors are present; the generated chains below always run.
const withLimbo = limbo ? test : test.skip
withLimbo(
  `agrees with OpenSSL on every same-named issuer/subject pair of x509-limbo's cases${limbo ? '' : ` (${CONFORMANCE_ABSENT})`}`,
  () => {
    const cases = JSON.parse(readFileSync(join(limbo!, 'limbo-subset.json'), 'utf8')).testcases as {
      trusted_certs: string[]
      untrusted_intermediates: string[]
      peer_certificate: string
    }[]
    let pairs = 0
    for (const c of cases) {
      const certs = [...c.trusted_certs, ...c.untrusted_intermediates, c.peer_certificate].flatMap((pem) =>
        decodeCertificates(Buffer.from(pem), 'limbo.pem'),
      )
      pairs += expectOpensslAgreement(certs)
    }
    expect(pairs).toBeGreaterThan(200)
  },
)

test('agrees with OpenSSL on every same-named pair of generated chains, right and wrong keys alike', async () => {
  // Two CAs of each name with different keys, so half the same-named pairs must not verify.
  const cas: Issued[] = []
  for (const key of ['rsa2048', 'ec256', 'ec384', 'ed25519'] as const) {
    for (let copy = 0; copy < 2; copy++) cas.push(await issue({ cn: `${key} ca`, key }))
  }
  const leaves: Issued[] = []
  for (const ca of cas) {
    for (const hash of ['SHA-1', 'SHA-256', 'SHA-384'] as const) {
      leaves.push(await issue({ cn: `leaf of ${ca.keySpec} by ${hash}`, issuer: ca, hash }))
    }
  }
  const certs = [...cas, ...leaves].map((c) => c.model)
  const pairs = expectOpensslAgreement(certs)
  expect(pairs).toBe(cas.length * 2 + leaves.length * 2)
  // Both outcomes occur, so agreement is not agreement on one answer.
  expect(
    certs.filter((s) => certs.some((i) => i.subjectKey === s.issuerKey && !openssl(s, i))).length,
  ).toBeGreaterThan(0)
})

test('verifies RSA, ECDSA and Ed25519 signatures and refuses a key of another type or value', async () => {
  const rsa = await issue({ cn: 'rsa ca', key: 'rsa2048' })
  const ec = await issue({ cn: 'ec ca', key: 'ec384' })
  const ed = await issue({ cn: 'ed ca', key: 'ed25519' })
  for (const issuer of [rsa, ec, ed]) {
    const leaf = await issue({ cn: `leaf of ${issuer.keySpec}`, issuer, hash: 'SHA-384' })
    expect(signedPartsOf(leaf.der)).toBeDefined()
    expect(signatureVerifies(leaf.model, issuer.model)).toBe(true)
    for (const other of [rsa, ec, ed].filter((o) => o !== issuer)) {
      expect(signatureVerifies(leaf.model, other.model)).toBe(false)
    }
  }
  const otherEc = await issue({ cn: 'ec ca', key: 'ec384' })
  const leaf = await issue({ cn: 'leaf', issuer: ec })
  expect(signatureVerifies(leaf.model, otherEc.model)).toBe(false)
})

test('a certificate whose outer signature algorithm differs from the signed one does not verify', async () => {
  const ca = await issue({ cn: 'ca', key: 'rsa2048' })
  const leaf = await issue({ cn: 'leaf', issuer: ca, hash: 'SHA-256' })
  // The outer AlgorithmIdentifier is the last one: sha256WithRSAEncryption (…01 0b) becomes sha384 (…01 0c).
  const der = Buffer.from(leaf.der)
  const oid = Buffer.from('06092a864886f70d01010b', 'hex')
  const at = der.lastIndexOf(oid)
  der[at + oid.length - 1] = 0x0c
  const relabelled = buildCert(new Uint8Array(der), { file: 'relabelled.pem', line: 1, index: 0 })
  expect(signedPartsOf(relabelled.der)).toBeUndefined()
  expect(signatureVerifies(relabelled, ca.model)).toBe(false)
  expect(signatureVerifies(relabelled, ca.model)).toBe(openssl(relabelled, ca.model))
})

test('self-signed public roots verify under their own key', () => {
  const roots = rootCertificates.slice(0, 20).flatMap((pem) => decodeCertificates(Buffer.from(pem), 'roots'))
  for (const root of roots) expect(signatureVerifies(root, root)).toBe(openssl(root, root))
  expect(roots.filter((r) => signatureVerifies(r, r)).length).toBeGreaterThan(15)
})

test('checked in the thread pool, every same-named pair gets OpenSSL’s answer, as the synchronous check does', async () => {
  const cas: Issued[] = []
  for (const key of ['rsa2048', 'ec256', 'ed25519'] as const) {
    for (let copy = 0; copy < 2; copy++) cas.push(await issue({ cn: `pool ${key} ca`, key }))
  }
  const leaves = await Promise.all(cas.map((ca) => issue({ cn: `pool leaf of ${ca.keySpec}`, issuer: ca })))
  const pairs = leaves.flatMap((leaf) =>
    cas.filter((ca) => ca.model.subjectKey === leaf.model.issuerKey).map((ca) => [leaf.model, ca.model]),
  )
  expect(pairs).toHaveLength(leaves.length * 2)
  const inPool = await Promise.all(pairs.map(([leaf, ca]) => signatureVerifiesInPool(leaf, ca)))
  expect(inPool).toEqual(pairs.map(([leaf, ca]) => openssl(leaf, ca)))
  // Both answers occur (the test PKI reuses one RSA key, so both RSA CAs verify their leaves).
  expect(inPool).toContain(true)
  expect(inPool).toContain(false)
  expect(pairs.map(([leaf, ca]) => signatureVerifies(leaf, ca))).toEqual(inPool)
})
