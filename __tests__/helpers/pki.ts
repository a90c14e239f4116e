// Test PKI built at test time with @peculiar/x509 over WebCrypto: every
// certificate a test uses is made here from the parameters the test states,
// never pasted. Certificates can be written as PEM so openssl can check the
// same files (tests that compare with `openssl verify`).
import { webcrypto } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as x509 from '../../src/model/x509.js'
import { buildCert } from '../../src/model/build.js'
import type { Cert } from '../../src/model/cert.js'

type CryptoKeyPair = webcrypto.CryptoKeyPair
type CryptoKey = webcrypto.CryptoKey
type Algorithm = webcrypto.Algorithm
type EcdsaParams = webcrypto.EcdsaParams

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0])

export type KeySpec = 'ec256' | 'ec384' | 'rsa1024' | 'rsa2048' | 'ed25519'
export type HashSpec = 'SHA-1' | 'SHA-256' | 'SHA-384'

export interface Issued {
  cert: x509.X509Certificate
  keys: CryptoKeyPair
  keySpec: KeySpec
  pem: string
  der: Uint8Array
  /** The certificate as certgate's model (source: file 'test.pem', line 1, index 0). */
  model: Cert
}

export interface IssueOptions {
  /** Subject common name. */
  cn: string
  /** Issuer; omit for a self-signed certificate. */
  issuer?: Issued
  key?: KeySpec
  hash?: HashSpec
  serial?: string
  notBefore?: Date
  notAfter?: Date
  /** Days of validity from notBefore when notAfter is not given (default 90). */
  days?: number
  /** Extensions to add after the defaults (SKI, AKI). */
  extensions?: x509.Extension[]
  /** Skip the default SKI/AKI extensions. */
  noKeyIds?: boolean
  /** The subject's key pair, when two certificates must share it (a precertificate and its certificate). */
  keys?: CryptoKeyPair
  /** SubjectPublicKeyInfo DER to certify instead of the generated key's (keys no library will generate). */
  publicKey?: Uint8Array
}

const keyCache = new Map<KeySpec, CryptoKeyPair[]>()
const DAY = 86_400_000

function keyAlgorithm(spec: KeySpec): webcrypto.RsaHashedKeyGenParams | webcrypto.EcKeyGenParams | Algorithm {
  switch (spec) {
    case 'ec256':
      return { name: 'ECDSA', namedCurve: 'P-256' }
    case 'ec384':
      return { name: 'ECDSA', namedCurve: 'P-384' }
    case 'rsa1024':
    case 'rsa2048':
      return {
        name: 'RSASSA-PKCS1-v1_5',
        modulusLength: spec === 'rsa1024' ? 1024 : 2048,
        publicExponent: new Uint8Array([1, 0, 1]),
        hash: 'SHA-256',
      }
    case 'ed25519':
      return { name: 'Ed25519' }
  }
}

/** Fresh key pair; `fresh: false` reuses one from a small pool (RSA generation is slow). */
export async function generateKeys(spec: KeySpec, fresh = true): Promise<CryptoKeyPair> {
  const pool = keyCache.get(spec) ?? []
  if (!fresh && pool.length > 0) return pool[0]
  const keys = (await webcrypto.subtle.generateKey(keyAlgorithm(spec) as webcrypto.EcKeyGenParams, true, [
    'sign',
    'verify',
  ])) as CryptoKeyPair
  if (pool.length === 0) keyCache.set(spec, [keys])
  return keys
}

function signingAlgorithm(spec: KeySpec, hash: HashSpec): Algorithm | EcdsaParams {
  if (spec.startsWith('ec')) return { name: 'ECDSA', hash } as EcdsaParams
  if (spec.startsWith('rsa')) return { name: 'RSASSA-PKCS1-v1_5', hash } as Algorithm
  return { name: 'Ed25519' }
}

/** Issues a certificate with exactly the extensions asked for (plus SKI/AKI). */
export async function issue(opts: IssueOptions): Promise<Issued> {
  const keySpec = opts.key ?? 'ec256'
  const keys = opts.keys ?? (await generateKeys(keySpec, keySpec !== 'rsa2048' && keySpec !== 'rsa1024'))
  const notBefore = opts.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - DAY)
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.days ?? 90) * DAY)
  const signer = opts.issuer ?? { keys, keySpec, cert: undefined }
  const extensions: x509.Extension[] = []
  const publicKey = opts.publicKey ?? keys.publicKey
  if (!opts.noKeyIds) {
    extensions.push(await x509.SubjectKeyIdentifierExtension.create(publicKey))
    const issuerKey = opts.issuer ? opts.issuer.keys.publicKey : keys.publicKey
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerKey))
  }
  extensions.push(...(opts.extensions ?? []))
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: opts.serial ?? randomSerial(),
    subject: `CN=${opts.cn}`,
    issuer: opts.issuer ? opts.issuer.cert.subject : `CN=${opts.cn}`,
    notBefore,
    notAfter,
    publicKey,
    signingKey: await rsaKeyWithHash(signer.keys.privateKey, opts.hash ?? 'SHA-256'),
    signingAlgorithm: signingAlgorithm(signer.keySpec, opts.hash ?? 'SHA-256'),
    extensions,
  })
  const der = new Uint8Array(cert.rawData)
  return {
    cert,
    keys,
    keySpec,
    pem: cert.toString('pem') + '\n',
    der,
    model: buildCert(der, { file: 'test.pem', line: 1, index: 0 }),
  }
}

/** WebCrypto binds the hash to an RSA key: re-import it when a test asks for another digest. */
async function rsaKeyWithHash(key: CryptoKey, hash: HashSpec): Promise<CryptoKey> {
  const alg = key.algorithm as webcrypto.RsaHashedKeyAlgorithm
  if (alg.name !== 'RSASSA-PKCS1-v1_5' || alg.hash.name === hash) return key
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', key)
  return webcrypto.subtle.importKey('pkcs8', pkcs8, { name: alg.name, hash }, true, ['sign'])
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(12))
  bytes[0] &= 0x7f
  bytes[0] |= 0x10
  return Buffer.from(bytes).toString('hex')
}

/** Extension builders with the values a well-formed Web PKI certificate carries. */
export const ext = {
  ca: (pathLength?: number) => new x509.BasicConstraintsExtension(true, pathLength, true),
  notCa: () => new x509.BasicConstraintsExtension(false, undefined, true),
  caKeyUsage: () =>
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  leafKeyUsage: () => new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
  keyUsage: (flags: number, critical = true) => new x509.KeyUsagesExtension(flags, critical),
  serverAuth: () => new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
  eku: (...oids: string[]) => new x509.ExtendedKeyUsageExtension(oids),
  san: (...dns: string[]) =>
    new x509.SubjectAlternativeNameExtension(dns.map((value) => ({ type: 'dns' as const, value }))),
  aia: (ocsp: string[], caIssuers: string[] = []) =>
    new x509.AuthorityInfoAccessExtension({
      ocsp: ocsp.map((value) => new x509.GeneralName('url', value)),
      caIssuers: caIssuers.map((value) => new x509.GeneralName('url', value)),
    }),
  crlDp: (...urls: string[]) => new x509.CRLDistributionPointsExtension(urls),
  /** RFC 7633 TLS Feature status_request: SEQUENCE { INTEGER 5 }. */
  mustStaple: () =>
    new x509.Extension('1.3.6.1.5.5.7.1.24', false, new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05])),
  ocspNoCheck: () => new x509.Extension('1.3.6.1.5.5.7.48.1.5', false, new Uint8Array([0x05, 0x00])),
}

/** A conventional three-level PKI: root → intermediate → leaf, all EC P-256 unless asked. */
export async function webPki(
  leafExtensions: x509.Extension[] = [],
  leafOptions: Partial<IssueOptions> = {},
): Promise<{ root: Issued; intermediate: Issued; leaf: Issued }> {
  const root = await issue({ cn: 'certgate Test Root', extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
  const intermediate = await issue({
    cn: 'certgate Test Intermediate',
    issuer: root,
    extensions: [ext.ca(0), ext.caKeyUsage()],
    days: 1825,
  })
  const leaf = await issue({
    cn: 'leaf.test',
    issuer: intermediate,
    days: 30,
    extensions: [
      ext.notCa(),
      ext.leafKeyUsage(),
      ext.serverAuth(),
      ext.san('leaf.test'),
      ext.aia(['http://ocsp.example.test'], ['http://ca.example.test/intermediate.crt']),
      ext.crlDp('http://crl.example.test/intermediate.crl'),
      ...leafExtensions,
    ],
    ...leafOptions,
  })
  return { root, intermediate, leaf }
}

/**
 * Root and intermediate as the Baseline Requirements want them (the
 * intermediate names its CRL and its issuer's certificate), so a correct
 * leaf below them passes the public-tls profile; leafExtensions() makes one.
 */
export async function compliantCa(prefix: string): Promise<{ root: Issued; intermediate: Issued }> {
  const root = await issue({ cn: `${prefix} Root`, extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
  const intermediate = await issue({
    cn: `${prefix} Intermediate`,
    issuer: root,
    days: 1825,
    extensions: [
      ext.ca(0),
      ext.caKeyUsage(),
      ext.aia([], ['http://ca.example.test/root.crt']),
      ext.crlDp('http://crl.example.test/root.crl'),
    ],
  })
  return { root, intermediate }
}

/** What a correct public-tls server leaf carries, for the DNS name given. */
export const leafExtensions = (name: string): x509.Extension[] => [
  ext.notCa(),
  ext.leafKeyUsage(),
  ext.serverAuth(),
  ext.san(name),
  ext.aia(['http://ocsp.example.test'], ['http://ca.example.test/intermediate.crt']),
  ext.crlDp('http://crl.example.test/intermediate.crl'),
]

/** The DER inside one PEM block (certificate, CRL, …). */
export function derOfPem(pem: string): Uint8Array {
  return new Uint8Array(Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64'))
}

/** A temporary directory for files a test writes (certificates for openssl, trees to scan). */
export function tempDir(prefix = 'certgate-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** Writes PEM files into `dir` and returns their paths. */
export function writePem(dir: string, name: string, ...certs: Issued[]): string {
  const path = join(dir, name)
  writeFileSync(path, certs.map((c) => c.pem).join(''))
  return path
}
