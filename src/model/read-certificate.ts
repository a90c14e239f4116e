// Reads the common certificate straight from its DER into the model, in one
// pass over the bytes. It covers what Web PKI and private-CA certificates
// carry; on anything else it declines (returns undefined) and buildCert asks
// @peculiar/x509, so the model is the same either way (a test compares the
// two on every certificate the test suites and the conformance vectors hold).
import { createHash } from 'node:crypto'
import type * as x509 from '@peculiar/x509'
import { x509 as loadX509 } from './libraries.js'
import {
  ecKeyInfo,
  EDDSA_KEY_BITS,
  KEY_TYPES,
  listsStatusRequest,
  signatureAlgorithmInfo,
} from './algorithms.js'
import type { Cert, KeyInfo } from './cert.js'
import { OID } from './cert.js'
import {
  asciiOf,
  booleanOf,
  childrenOf,
  contentOf,
  DerReadError,
  type DerElement,
  encodingOf,
  expectTag,
  hexOf,
  oidOf,
  readElement,
  TAG,
} from './der-reader.js'
import { nameKey } from './name-match.js'
import type { SourcePosition } from './types.js'

/** Short names @peculiar/x509 gives attribute types in a displayed name; others show as the OID. */
const ATTRIBUTE_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'E',
  '2.5.4.42': 'G',
  '2.5.4.43': 'I',
  '2.5.4.4': 'SN',
  '2.5.4.12': 'T',
}
const NAME_STRING_TAGS = new Set<number>([TAG.printableString, TAG.utf8String, TAG.ia5String])

const EXT = {
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  nameConstraints: '2.5.29.30',
  crlDistributionPoints: '2.5.29.31',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
} as const
const ACCESS_METHOD = { ocsp: '1.3.6.1.5.5.7.48.1', caIssuers: '1.3.6.1.5.5.7.48.2' } as const
/** GeneralName CHOICE tags (RFC 5280 §4.2.1.6), IMPLICIT. */
const GENERAL_NAME = { email: 0x81, dns: 0x82, uri: 0x86, ip: 0x87 } as const
const CONTEXT_0 = 0xa0
const CONTEXT_3 = 0xa3

/** Parsed extension values: the fields of the model they fill. */
type ExtensionFields = Pick<
  Cert,
  | 'san'
  | 'ocspUrls'
  | 'caIssuersUrls'
  | 'crlUrls'
  | 'keyUsage'
  | 'extKeyUsage'
  | 'basicConstraints'
  | 'subjectKeyId'
  | 'authorityKeyId'
  | 'mustStaple'
  | 'ocspNoCheck'
  | 'extensions'
>

/**
 * The model of the certificate `der`, or undefined when it holds something
 * this reader leaves to @peculiar/x509. Never throws.
 */
export function readCertificateDer(der: Uint8Array, source: SourcePosition): Cert | undefined {
  try {
    return readCertificate(der, source)
  } catch {
    // DerReadError, or a shape this reader did not foresee: either way the general parser decides.
    return undefined
  }
}

function readCertificate(der: Uint8Array, source: SourcePosition): Cert {
  const certificate = expectTag(readElement(der, 0, der.length), TAG.sequence, 'Certificate')
  if (certificate.end !== der.length) throw new DerReadError('trailing data after the certificate')
  const [tbs, signatureAlgorithm, signatureValue, ...rest] = childrenOf(der, certificate)
  if (!signatureValue || rest.length > 0) throw new DerReadError('Certificate is not three elements')
  expectTag(tbs, TAG.sequence, 'tbsCertificate')
  expectTag(signatureValue, TAG.bitString, 'signatureValue')

  const fields = childrenOf(der, tbs)
  let i = 0
  let version = 1
  if (fields[i]?.tag === CONTEXT_0) {
    const [v, ...extra] = childrenOf(der, fields[i++])
    if (!v || extra.length > 0 || v.end - v.start !== 1 || der[v.start] > 2) {
      throw new DerReadError('version is not v1, v2 or v3')
    }
    version = der[expectTag(v, TAG.integer, 'version').start] + 1
  }
  const serial = expectTag(fields[i++] ?? missing('serialNumber'), TAG.integer, 'serialNumber')
  expectTag(fields[i++] ?? missing('signature'), TAG.sequence, 'signature')
  const issuer = expectTag(fields[i++] ?? missing('issuer'), TAG.sequence, 'issuer')
  const validity = expectTag(fields[i++] ?? missing('validity'), TAG.sequence, 'validity')
  const subject = expectTag(fields[i++] ?? missing('subject'), TAG.sequence, 'subject')
  const spki = expectTag(fields[i++] ?? missing('subjectPublicKeyInfo'), TAG.sequence, 'subjectPublicKeyInfo')
  // issuerUniqueID/subjectUniqueID ([1], [2]) are left to the general parser.
  const extensionsField = fields[i]?.tag === CONTEXT_3 ? fields[i++] : undefined
  if (i !== fields.length) throw new DerReadError('unexpected field in tbsCertificate')

  const [notBefore, notAfter, ...moreTimes] = childrenOf(der, validity)
  if (!notAfter || moreTimes.length > 0) throw new DerReadError('validity is not two times')
  const subjectName = encodingOf(der, subject)
  const subjectKey = nameKey(subjectName)
  const issuerName = issuerNameOf(der, issuer)
  const issuerKey = issuerName.key

  const extensions = readExtensions(der, extensionsField)
  const cert = {
    der,
    source,
    sha256: createHash('sha256').update(der).digest('hex'),
    spki: encodingOf(der, spki),
    version,
    serial: serialOf(der, serial),
    subject: displayName(der, subject),
    issuer: issuerName.display,
    subjectName,
    subjectKey,
    issuerKey,
    notBefore: timeOf(der, notBefore),
    notAfter: timeOf(der, notAfter),
    san: extensions.san,
    ocspUrls: extensions.ocspUrls,
    caIssuersUrls: extensions.caIssuersUrls,
    crlUrls: extensions.crlUrls,
    keyUsage: extensions.keyUsage,
    extKeyUsage: extensions.extKeyUsage,
    basicConstraints: extensions.basicConstraints,
    subjectKeyId: extensions.subjectKeyId,
    authorityKeyId: extensions.authorityKeyId,
    mustStaple: extensions.mustStaple,
    ocspNoCheck: extensions.ocspNoCheck,
    extensions: extensions.extensions,
    key: keyOf(der, spki),
    signatureAlgorithm: signatureAlgorithmInfo(
      oidOf(der, childrenOf(der, expectTag(signatureAlgorithm, TAG.sequence, 'signatureAlgorithm'))[0]),
    ),
    selfIssued: subjectKey === issuerKey,
  }
  // One getter shared by every certificate: a getter per object (a closure in
  // the literal) put each in V8's dictionary mode, 1.5 KB and slower reads apiece.
  Object.defineProperty(cert, 'x509', { get: parsedX509, enumerable: true, configurable: true })
  return cert as Cert
}

const x509Objects = new WeakMap<Cert, x509.X509Certificate>()

/** cert.x509, built on first use only: few callers need @peculiar/x509's objects. */
function parsedX509(this: Cert): x509.X509Certificate {
  let parsed = x509Objects.get(this)
  if (!parsed) {
    parsed = new (loadX509().X509Certificate)(this.der)
    x509Objects.set(this, parsed)
  }
  return parsed
}

/** The DER of the subject Name of a certificate, found without reading the rest; undefined when not found. */
export function subjectNameOf(der: Uint8Array): Uint8Array | undefined {
  return tbsNameOf(der, 'subject')
}

/** The DER of the issuer or subject Name as the certificate encodes it; undefined when not found. */
export function tbsNameOf(der: Uint8Array, which: 'issuer' | 'subject'): Uint8Array | undefined {
  try {
    const [tbsElement] = childrenOf(der, readElement(der, 0, der.length))
    const tbs = childrenOf(der, expectTag(tbsElement, TAG.sequence, 'tbsCertificate'))
    const name = tbs[(tbs[0]?.tag === CONTEXT_0 ? 1 : 0) + (which === 'issuer' ? 2 : 4)]
    return name ? encodingOf(der, expectTag(name, TAG.sequence, which)) : undefined
  } catch {
    return undefined
  }
}

const missing = (field: string): never => {
  throw new DerReadError(`tbsCertificate has no ${field}`)
}

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')

/** @peculiar/x509's serialNumber: the INTEGER's octets, less one sign octet before a high bit. */
function serialOf(der: Uint8Array, serial: DerElement): string {
  if (serial.start === serial.end) throw new DerReadError('empty serialNumber')
  const dropSign = serial.end - serial.start > 1 && der[serial.start] === 0 && der[serial.start + 1] > 0x7f
  return hexOf(der, dropSign ? { ...serial, start: serial.start + 1 } : serial)
}

/** UTCTime YYMMDDHHMMSSZ (years 1950–2049) or GeneralizedTime YYYYMMDDHHMMSSZ (RFC 5280 §4.1.2.5). */
function timeOf(der: Uint8Array, time: DerElement): Date {
  const text = asciiOf(der, time)
  const utc = time.tag === TAG.utcTime && /^\d{12}Z$/.test(text)
  if (!utc && !(time.tag === TAG.generalizedTime && /^\d{14}Z$/.test(text))) {
    throw new DerReadError(`time '${text}' is not in RFC 5280's form`)
  }
  const digits = utc ? text : text.slice(2)
  const number = (at: number) => Number(digits.slice(at, at + 2))
  const year = utc ? (number(0) >= 50 ? 1900 : 2000) + number(0) : Number(text.slice(0, 4))
  const [month, day, hour, minute, second] = [number(2), number(4), number(6), number(8), number(10)]
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    throw new DerReadError(`time '${text}' is out of range`)
  }
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second))
}

// A CA's name is the issuer of all its leaves: read once, one string shared by
// every certificate (bounded, so a scan of unrelated issuers cannot grow it without limit).
const issuerNames = new Map<string, { key: string; display: string }>()
const MAX_ISSUER_NAMES = 1024

function issuerNameOf(der: Uint8Array, issuer: DerElement): { key: string; display: string } {
  const encoding = encodingOf(der, issuer)
  const bytes = hex(encoding)
  let name = issuerNames.get(bytes)
  if (!name) {
    name = { key: nameKey(encoding), display: displayName(der, issuer) }
    if (issuerNames.size < MAX_ISSUER_NAMES) issuerNames.set(bytes, name)
  }
  return name
}

/** RFC 4514-style text as @peculiar/x509 shows a Name, for names of printable ASCII strings. */
function displayName(der: Uint8Array, name: DerElement): string {
  return childrenOf(der, name)
    .map((rdn) => {
      const attributes = childrenOf(der, expectTag(rdn, TAG.set, 'RelativeDistinguishedName'))
      if (attributes.length === 0) throw new DerReadError('empty RelativeDistinguishedName')
      return attributes
        .map((attribute) => {
          const [type, value, ...extra] = childrenOf(der, expectTag(attribute, TAG.sequence, 'attribute'))
          if (!value || extra.length > 0 || !NAME_STRING_TAGS.has(value.tag) || value.start === value.end) {
            throw new DerReadError('attribute value is not a printable string')
          }
          const oid = oidOf(der, type)
          return `${ATTRIBUTE_NAMES[oid] ?? oid}=${escapeValue(asciiOf(der, value))}`
        })
        .join('+')
    })
    .join(', ')
}

/** @peculiar/x509's escaping of an attribute value (RFC 4514 §2.4 special characters). */
const escapeValue = (value: string): string =>
  value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')

function keyOf(der: Uint8Array, spki: DerElement): KeyInfo {
  const [algorithm, publicKey, ...extra] = childrenOf(der, spki)
  if (!publicKey || extra.length > 0) throw new DerReadError('subjectPublicKeyInfo is not two elements')
  const [oid, parameters, ...more] = childrenOf(der, expectTag(algorithm, TAG.sequence, 'algorithm'))
  if (more.length > 0) throw new DerReadError('algorithm has extra elements')
  const type = KEY_TYPES[oidOf(der, oid)]
  if (type === 'RSA') {
    expectTag(parameters ?? missing('RSA parameters'), TAG.null, 'RSA parameters')
    return { type, ...rsaKeySize(der, expectTag(publicKey, TAG.bitString, 'key')) }
  }
  if (type === 'EC') {
    const named = parameters?.tag === TAG.oid && parameters.end - parameters.offset > 2
    return ecKeyInfo(named ? oidOf(der, parameters) : undefined)
  }
  if (type === 'Ed25519' || type === 'Ed448') return { type, bits: EDDSA_KEY_BITS[type] }
  throw new DerReadError(`key type ${type ?? 'unknown'} is left to the general parser`)
}

/**
 * Exact bit length of an RSA modulus (BR 6.1.5 wants it a multiple of 8, so
 * no rounding to octets), the public exponent (BR 6.1.6) and the modulus
 * (the ROCA fingerprint test).
 */
function rsaKeySize(
  der: Uint8Array,
  bitString: DerElement,
): { bits: number; exponent: bigint; modulus: bigint } {
  if (der[bitString.start] !== 0) throw new DerReadError('RSA key BIT STRING has unused bits')
  const key = readElement(der, bitString.start + 1, bitString.end)
  const [modulus, exponent, ...extra] = childrenOf(der, expectTag(key, TAG.sequence, 'RSAPublicKey'))
  if (key.end !== bitString.end || !exponent || extra.length > 0) throw new DerReadError('odd RSAPublicKey')
  expectTag(modulus, TAG.integer, 'modulus')
  expectTag(exponent, TAG.integer, 'publicExponent')
  let first = modulus.start
  while (first < modulus.end && der[first] === 0) first++
  if (
    first === modulus.end ||
    exponent.start === exponent.end ||
    der[modulus.start] & 0x80 ||
    der[exponent.start] & 0x80
  ) {
    throw new DerReadError('RSA modulus or exponent is not positive')
  }
  return {
    bits: (modulus.end - first - 1) * 8 + (32 - Math.clz32(der[first])),
    exponent: BigInt(`0x${hexOf(der, exponent)}`),
    modulus: BigInt(`0x${hexOf(der, modulus)}`),
  }
}

function readExtensions(der: Uint8Array, field: DerElement | undefined): ExtensionFields {
  const fields: ExtensionFields = {
    ocspUrls: [],
    caIssuersUrls: [],
    crlUrls: [],
    mustStaple: false,
    ocspNoCheck: false,
    extensions: [],
  }
  if (!field) return fields
  const [list, ...extra] = childrenOf(der, field)
  if (!list || extra.length > 0) throw new DerReadError('extensions field is not one SEQUENCE')
  const seen = new Set<string>()
  for (const extension of childrenOf(der, expectTag(list, TAG.sequence, 'Extensions'))) {
    const parts = childrenOf(der, expectTag(extension, TAG.sequence, 'Extension'))
    if (parts.length !== 2 && parts.length !== 3) throw new DerReadError('Extension is not 2 or 3 elements')
    const oid = oidOf(der, parts[0])
    const critical = parts.length === 3 && booleanOf(der, parts[1])
    const value = expectTag(parts[parts.length - 1], TAG.octetString, 'extnValue')
    if (seen.has(oid)) throw new DerReadError(`extension ${oid} appears twice`)
    seen.add(oid)
    fields.extensions.push({ oid, critical })
    readExtension(der, oid, critical, value, fields)
  }
  return fields
}

/** Fills the model fields of one extension; anything but the plain form is declined. */
function readExtension(
  der: Uint8Array,
  oid: string,
  critical: boolean,
  value: DerElement,
  fields: ExtensionFields,
): void {
  const inner = () => {
    const element = readElement(der, value.start, value.end)
    if (element.end !== value.end) throw new DerReadError(`trailing data in extension ${oid}`)
    return element
  }
  const sequence = () => childrenOf(der, expectTag(inner(), TAG.sequence, oid))
  switch (oid) {
    case EXT.keyUsage:
      fields.keyUsage = { flags: keyUsageFlags(der, expectTag(inner(), TAG.bitString, oid)), critical }
      return
    case EXT.extKeyUsage:
      fields.extKeyUsage = { oids: sequence().map((e) => oidOf(der, e)), critical }
      return
    case EXT.basicConstraints:
      fields.basicConstraints = basicConstraints(der, sequence(), critical)
      return
    case EXT.subjectKeyIdentifier:
      fields.subjectKeyId = hexOf(der, expectTag(inner(), TAG.octetString, oid))
      return
    case EXT.authorityKeyIdentifier: {
      const [keyId, ...others] = sequence()
      // authorityCertIssuer/authorityCertSerialNumber are left to the general parser.
      if (others.length > 0 || (keyId && keyId.tag !== 0x80))
        throw new DerReadError('AKI beyond keyIdentifier')
      fields.authorityKeyId = keyId ? hexOf(der, keyId) : undefined
      return
    }
    case EXT.subjectAltName:
      fields.san = subjectAltNames(der, sequence(), critical)
      return
    case EXT.authorityInfoAccess:
      for (const description of sequence()) {
        const [method, location, ...more] = childrenOf(der, expectTag(description, TAG.sequence, oid))
        if (!location || more.length > 0) throw new DerReadError('odd AccessDescription')
        const methodOid = oidOf(der, method)
        const url = uriOf(der, location)
        if (methodOid === ACCESS_METHOD.ocsp) fields.ocspUrls.push(url)
        else if (methodOid === ACCESS_METHOD.caIssuers) fields.caIssuersUrls.push(url)
        else throw new DerReadError(`access method ${methodOid} is left to the general parser`)
      }
      return
    case EXT.crlDistributionPoints:
      for (const point of sequence()) {
        // DistributionPoint { [0] { [0] fullName } }: reasons and cRLIssuer are left to the general parser.
        const [name, ...more] = childrenOf(der, expectTag(point, TAG.sequence, oid))
        if (!name || more.length > 0) throw new DerReadError('DistributionPoint beyond a full name')
        const [fullName, ...other] = childrenOf(der, expectTag(name, CONTEXT_0, 'distributionPoint'))
        if (!fullName || other.length > 0) throw new DerReadError('distributionPoint is not one name')
        for (const uri of childrenOf(der, expectTag(fullName, CONTEXT_0, 'fullName'))) {
          fields.crlUrls.push(uriOf(der, uri))
        }
      }
      return
    case OID.tlsFeature:
      fields.mustStaple = listsStatusRequest(contentOf(der, value))
      return
    case OID.ocspNoCheck:
      fields.ocspNoCheck = true
      return
    case EXT.nameConstraints:
      throw new DerReadError('name constraints are left to the general parser')
  }
}

/** @peculiar/x509's KeyUsage number: bit i of the BIT STRING (from the first octet's high bit) is 2^i. */
function keyUsageFlags(der: Uint8Array, bitString: DerElement): number {
  const unused = der[bitString.start]
  const octets = bitString.end - bitString.start - 1
  // No octet at all is an empty BIT STRING: a keyUsage with no bit set, which key-usage-invalid reports.
  if (octets > 2 || unused > 7 || (octets === 0 && unused !== 0))
    throw new DerReadError('KeyUsage is not zero, one or two octets')
  let flags = 0
  for (let bit = 0; bit < octets * 8 - unused; bit++) {
    if (der[bitString.start + 1 + (bit >> 3)] & (0x80 >> (bit & 7))) flags += 2 ** bit
  }
  return flags
}

function basicConstraints(
  der: Uint8Array,
  parts: DerElement[],
  critical: boolean,
): NonNullable<Cert['basicConstraints']> {
  let at = 0
  const ca = parts[at]?.tag === TAG.boolean ? booleanOf(der, parts[at++]) : false
  let pathLength: number | undefined
  if (parts[at]) {
    const length = expectTag(parts[at++], TAG.integer, 'pathLenConstraint')
    if (length.end - length.start !== 1 || der[length.start] > 0x7f) throw new DerReadError('odd pathLen')
    pathLength = der[length.start]
  }
  if (at !== parts.length) throw new DerReadError('BasicConstraints has extra elements')
  return { ca, pathLength, critical }
}

// Objects made whole in one literal, never by spreading: spread copies got a hidden class each in V8.
function subjectAltNames(der: Uint8Array, names: DerElement[], critical: boolean): NonNullable<Cert['san']> {
  const san = {
    dns: [] as string[],
    ip: [] as string[],
    email: [] as string[],
    uri: [] as string[],
    critical,
  }
  for (const name of names) {
    if (name.tag === GENERAL_NAME.dns) san.dns.push(asciiOf(der, name))
    else if (name.tag === GENERAL_NAME.email) san.email.push(asciiOf(der, name))
    else if (name.tag === GENERAL_NAME.uri) san.uri.push(asciiOf(der, name))
    else if (name.tag === GENERAL_NAME.ip && name.end - name.start === 4)
      san.ip.push(contentOf(der, name).join('.'))
    else throw new DerReadError(`GeneralName tag 0x${name.tag.toString(16)} is left to the general parser`)
  }
  return san
}

function uriOf(der: Uint8Array, name: DerElement): string {
  return asciiOf(der, expectTag(name, GENERAL_NAME.uri, 'uniformResourceIdentifier'))
}
