// Lint corpus: a root (RSA-2048), two intermediates (RSA-2048 and EC P-256)
// in one shared file, and one leaf per file, leaf keys and issuers mixed so
// all four RSA/ECDSA signature pairings occur. Keys come from a small pool:
// key generation is the slow part and the linter's work does not depend on
// the keys being distinct, only on every certificate being parsed and checked.
import 'reflect-metadata'
import * as x509 from '@peculiar/x509'
import { AsnConvert, OctetString } from '@peculiar/asn1-schema'
import {
  Certificate,
  GeneralName,
  Name,
  SubjectAlternativeName,
  id_ce_subjectAltName,
} from '@peculiar/asn1-x509'
import { KeyObject, sign, webcrypto } from 'node:crypto'
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

x509.cryptoProvider.set(webcrypto)

const DAY = 86_400_000
// Per key type: [0] root, [1] intermediate, [2] every leaf of that type.
const KEY_POOL_SIZE = 3
const WRITE_BATCH = 256
const ALGORITHMS = {
  rsa: {
    key: {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    signing: { name: 'RSASSA-PKCS1-v1_5' },
  },
  ec: { key: { name: 'ECDSA', namedCurve: 'P-256' }, signing: { name: 'ECDSA', hash: 'SHA-256' } },
}

/**
 * Generates `count` leaf certificates in memory; `writeCorpus` puts the first
 * n of them on disk, so every size of one bench run lints the same kind of file.
 */
export async function generateLintCertificates(count) {
  const keys = {
    rsa: await keyPool('rsa'),
    ec: await keyPool('ec'),
  }
  const notBefore = new Date(Math.floor(Date.now() / 1000) * 1000 - DAY)
  const root = await issue({
    cn: 'certgate bench Root CA',
    keys: keys.rsa[0],
    signer: { keys: keys.rsa[0], type: 'rsa' },
    notBefore,
    days: 3650,
    extensions: caExtensions(),
  })
  const rootSigner = { keys: keys.rsa[0], type: 'rsa', cert: root }
  const intermediates = []
  for (const type of ['rsa', 'ec']) {
    const cert = await issue({
      cn: `certgate bench Intermediate CA (${type.toUpperCase()})`,
      keys: keys[type][1],
      signer: rootSigner,
      notBefore,
      days: 1825,
      extensions: caExtensions(0),
    })
    intermediates.push({ keys: keys[type][1], type, cert })
  }

  // One template per (leaf key, issuer) pairing, issued by @peculiar/x509; every
  // leaf is a template with its own serial, subject and SAN, re-signed with
  // node:crypto. WebCrypto through the generator costs ~7 ms a certificate;
  // this costs well under 1 ms, so 10,000 certificates take seconds.
  const templates = []
  for (const type of ['ec', 'rsa']) {
    for (const signer of intermediates) {
      const template = await issue({
        cn: 'template.bench.example.com',
        keys: keys[type][2],
        signer,
        notBefore,
        days: 90,
        extensions: leafExtensions('template.bench.example.com'),
      })
      templates.push({ certificate: AsnConvert.parse(template.rawData, Certificate), signer })
    }
  }
  const signingKeys = new Map(intermediates.map((i) => [i, KeyObject.from(i.keys.privateKey)]))
  const leaves = []
  for (let i = 0; i < count; i++) {
    const { certificate, signer } = templates[i % templates.length]
    leaves.push(stampLeaf(certificate, signingKeys.get(signer), `host-${i}.bench.example.com`))
  }
  return {
    rootPem: root.toString('pem') + '\n',
    intermediatesPem: intermediates.map((i) => i.cert.toString('pem') + '\n').join(''),
    leaves,
  }
}

/**
 * Writes the first `size` leaves, one per file, plus the shared
 * intermediates file into `dir/certs`, and the root beside it (a trust
 * anchor, not an input). Returns the paths.
 */
export async function writeCorpus(generated, size, dir) {
  const certsDir = join(dir, 'certs')
  await mkdir(certsDir, { recursive: true })
  const root = join(dir, 'root.pem')
  const intermediates = join(certsDir, 'intermediates.pem')
  await writeFile(root, generated.rootPem)
  await writeFile(intermediates, generated.intermediatesPem)
  const leaves = generated.leaves
    .slice(0, size)
    .map((_, i) => join(certsDir, `leaf-${String(i).padStart(6, '0')}.pem`))
  // In batches: 50,000 writes at once exhaust the process's file descriptors (EMFILE).
  for (let start = 0; start < leaves.length; start += WRITE_BATCH) {
    const batch = leaves.slice(start, start + WRITE_BATCH)
    await Promise.all(batch.map((file, i) => writeFile(file, generated.leaves[start + i])))
  }
  return { root, certsDir, intermediates, leaves }
}

/** The template with a fresh serial, subject and SAN, signed again by its issuer. */
function stampLeaf(certificate, issuerKey, hostname) {
  const tbs = certificate.tbsCertificate
  tbs.serialNumber = arrayBuffer(Buffer.from(randomSerial(), 'hex'))
  tbs.subject = AsnConvert.parse(new x509.Name(`O=certgate bench, CN=${hostname}`).toArrayBuffer(), Name)
  const san = tbs.extensions.find((e) => e.extnID === id_ce_subjectAltName)
  san.extnValue = new OctetString(
    AsnConvert.serialize(new SubjectAlternativeName([new GeneralName({ dNSName: hostname })])),
  )
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs))
  // node:crypto returns ECDSA signatures DER-encoded, the form X.509 carries.
  const signature = sign('sha256', tbsDer, issuerKey)
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, BIT STRING signature }, assembled
  // by hand so the TBS is encoded once: ASN.1 serialisation is most of the cost here.
  const der = derTlv(0x30, [
    tbsDer,
    Buffer.from(AsnConvert.serialize(certificate.signatureAlgorithm)),
    derTlv(0x03, [Buffer.from([0]), signature]),
  ])
  return `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`
}

/** One DER tag-length-value with a definite length. */
function derTlv(tag, parts) {
  const body = Buffer.concat(parts)
  const length = body.length
  const lengthBytes =
    length < 0x80 ? [length] : length < 0x100 ? [0x81, length] : [0x82, length >> 8, length & 0xff]
  return Buffer.concat([Buffer.from([tag, ...lengthBytes]), body])
}

/** A Buffer's own bytes: small Buffers share one pooled ArrayBuffer, so `.buffer` would carry the pool. */
function arrayBuffer(buffer) {
  return buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length)
}

async function keyPool(type) {
  const pool = []
  for (let i = 0; i < KEY_POOL_SIZE; i++) {
    pool.push(await webcrypto.subtle.generateKey(ALGORITHMS[type].key, true, ['sign', 'verify']))
  }
  return pool
}

async function issue({ cn, keys, signer, notBefore, days, extensions }) {
  return x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `O=certgate bench, CN=${cn}`,
    issuer: signer.cert ? signer.cert.subject : `O=certgate bench, CN=${cn}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + days * DAY),
    publicKey: keys.publicKey,
    signingKey: signer.keys.privateKey,
    signingAlgorithm: ALGORITHMS[signer.type].signing,
    extensions: [
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(signer.keys.publicKey),
      ...extensions,
    ],
  })
}

function caExtensions(pathLength) {
  const extensions = [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
  ]
  if (pathLength !== undefined)
    extensions.push(new x509.CRLDistributionPointsExtension(['http://crl.bench.example.com/root.crl']))
  return extensions
}

/** What a well-formed Web PKI leaf carries, so the bench times the linter on its common path. */
function leafExtensions(hostname) {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: hostname }]),
    new x509.AuthorityInfoAccessExtension({
      ocsp: [new x509.GeneralName('url', 'http://ocsp.bench.example.com')],
      caIssuers: [new x509.GeneralName('url', 'http://ca.bench.example.com/intermediate.crt')],
    }),
    new x509.CRLDistributionPointsExtension(['http://crl.bench.example.com/intermediate.crl']),
  ]
}

/** 16 random bytes, positive, no leading zero: BR 7.1 wants at least 64 bits of CSPRNG output. */
function randomSerial() {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16))
  bytes[0] = (bytes[0] & 0x7f) | 0x10
  return Buffer.from(bytes).toString('hex')
}
