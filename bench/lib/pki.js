// A bench PKI for the revocation scenarios: a root (EC P-256), one issuing CA
// (EC P-256, the issuer every leaf shares) and leaves whose AIA and CRL
// Distribution Points name local URLs the bench serves. Written as PEM files
// with the keys openssl needs to answer for the CA, plus an openssl `ca`
// index so `openssl ocsp` knows every serial.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { KeyObject, webcrypto } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

x509.cryptoProvider.set(webcrypto)

const DAY = 86_400_000
const EC = { name: 'ECDSA', namedCurve: 'P-256' }
const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: 'SHA-256',
}
/** Signing with a key of each algorithm, by the key's algorithm name. */
const SIGNING = {
  ECDSA: { name: 'ECDSA', hash: 'SHA-256' },
  'RSASSA-PKCS1-v1_5': { name: 'RSASSA-PKCS1-v1_5' },
}

/**
 * @typedef {object} BenchPki
 * @property {string} dir
 * @property {string} root            root certificate (trust anchor), PEM
 * @property {string} issuer          issuing CA certificate, PEM
 * @property {string} issuerKey       its private key, PKCS#8 PEM
 * @property {CryptoKeyPair} issuerKeys
 * @property {x509.X509Certificate} issuerCert
 * @property {string} chain           issuer + root, PEM (openssl -CAfile)
 * @property {string} index           openssl ca index.txt naming every leaf
 * @property {string[]} leaves        one PEM file per leaf
 * @property {string[]} serials       lower-case hex, in leaf order
 * @property {Set<string>} revoked    serials the index marks revoked
 *
 * @typedef {{ ocsp?: string | string[], crl?: string | string[] }} LeafUrls
 */

/**
 * Creates the PKI in `dir`: `count` leaves under one issuer, every
 * `revokeEvery`-th marked revoked (keyCompromise) in the index. `urls` are
 * put in each leaf: `ocsp` as AIA OCSP, `crl` as its CRL Distribution Point
 * (a function of the leaf's index gives each leaf its own, as for partitioned CRLs).
 * The issuer carries no revocation pointers, so only the leaves cost requests.
 * `caKeys: 'rsa'` gives the root and the issuing CA RSA-2048 keys (leaves stay
 * EC), for clients that verify only RSA signatures.
 * @param {{ dir: string, count: number, urls: LeafUrls | ((index: number) => LeafUrls), revokeEvery?: number, caKeys?: 'ec' | 'rsa' }} options
 * @returns {Promise<BenchPki>}
 */
export async function createBenchPki({ dir, count, urls, revokeEvery = 0, caKeys = 'ec' }) {
  await mkdir(join(dir, 'leaves'), { recursive: true })
  const caAlgorithm = caKeys === 'rsa' ? RSA : EC
  const rootKeys = await webcrypto.subtle.generateKey(caAlgorithm, true, ['sign', 'verify'])
  const issuerKeys = await webcrypto.subtle.generateKey(caAlgorithm, true, ['sign', 'verify'])
  const leafKeys = await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - DAY)
  const caExtensions = (pathLength) => [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ]
  const root = await issue({
    subject: 'O=certgate bench, CN=certgate bench revocation Root',
    keys: rootKeys,
    signer: { keys: rootKeys },
    notBefore,
    days: 3650,
    extensions: caExtensions(),
  })
  const issuerCert = await issue({
    subject: 'O=certgate bench, CN=certgate bench revocation CA',
    keys: issuerKeys,
    signer: { keys: rootKeys, cert: root },
    notBefore,
    days: 1825,
    extensions: caExtensions(0),
  })

  const leaves = []
  const serials = []
  const revoked = new Set()
  const indexLines = []
  const expiry = new Date(notBefore.getTime() + 90 * DAY)
  for (let i = 0; i < count; i++) {
    const hostname = `host-${i}.revocation.bench.example.com`
    const cert = await issue({
      subject: `O=certgate bench, CN=${hostname}`,
      keys: leafKeys,
      signer: { keys: issuerKeys, cert: issuerCert },
      notBefore,
      days: 90,
      extensions: leafExtensions(hostname, typeof urls === 'function' ? urls(i) : urls),
    })
    const file = join(dir, 'leaves', `leaf-${String(i).padStart(6, '0')}.pem`)
    leaves.push(file)
    serials.push(cert.serialNumber.toLowerCase())
    await writeFile(file, cert.toString('pem') + '\n')
    const isRevoked = revokeEvery > 0 && i % revokeEvery === revokeEvery - 1
    if (isRevoked) revoked.add(cert.serialNumber.toLowerCase())
    indexLines.push(indexLine(cert, expiry, isRevoked ? notBefore : undefined))
  }

  const files = {
    root: join(dir, 'root.pem'),
    issuer: join(dir, 'issuer.pem'),
    issuerKey: join(dir, 'issuer.key'),
    chain: join(dir, 'chain.pem'),
    index: join(dir, 'index.txt'),
  }
  const rootPem = root.toString('pem') + '\n'
  const issuerPem = issuerCert.toString('pem') + '\n'
  await writeFile(files.root, rootPem)
  await writeFile(files.issuer, issuerPem)
  await writeFile(files.chain, issuerPem + rootPem)
  await writeFile(
    files.issuerKey,
    KeyObject.from(issuerKeys.privateKey).export({ type: 'pkcs8', format: 'pem' }),
  )
  await writeFile(files.index, indexLines.join(''))
  return { dir, ...files, issuerKeys, issuerCert, leaves, serials, revoked }
}

/**
 * One line of openssl's CA database (tab-separated: status, expiry, revocation
 * "time,reason", serial in upper-case hex, file name, subject), the format
 * `openssl ocsp -index` answers from.
 */
function indexLine(cert, expiry, revokedAt) {
  const status = revokedAt ? 'R' : 'V'
  const revocation = revokedAt ? `${utcTime(revokedAt)},keyCompromise` : ''
  const subject = '/' + cert.subject.split(', ').join('/')
  return `${status}\t${utcTime(expiry)}\t${revocation}\t${cert.serialNumber.toUpperCase()}\tunknown\t${subject}\n`
}

/** YYMMDDHHMMSSZ: UTCTime (RFC 5280 §4.1.2.5.1), also how openssl writes times in its index. */
export function utcTime(date) {
  return date.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, '$1$2$3$4$5$6Z')
}

async function issue({ subject, keys, signer, notBefore, days, extensions }) {
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: signer.cert ? signer.cert.subject : subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + days * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: SIGNING[signer.keys.privateKey.algorithm.name],
    extensions: [
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey),
      ...extensions,
    ],
  })
}

function leafExtensions(hostname, urls) {
  const extensions = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostname }]),
  ]
  const list = (url) => (Array.isArray(url) ? url : [url])
  if (urls.ocsp)
    extensions.push(
      new x509.AuthorityInfoAccessExtension({
        ocsp: list(urls.ocsp).map((url) => new x509.GeneralName('url', url)),
      }),
    )
  if (urls.crl) extensions.push(new x509.CRLDistributionPointsExtension(list(urls.crl)))
  return extensions
}

/** 16 random bytes, positive, no leading zero octet (BR 7.1: at least 64 bits from a CSPRNG). */
export function randomSerial() {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] & 0x7f) | 0x10
  return Buffer.from(bytes).toString('hex')
}
