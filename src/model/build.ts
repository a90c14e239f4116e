import { createHash, createPublicKey } from 'node:crypto'
import type * as x509 from '@peculiar/x509'
import type { Certificate as AsnCertificate, GeneralName as AsnGeneralName } from '@peculiar/asn1-x509'
import { asnSchema, asnX509, x509 as loadX509 } from './libraries.js'
import {
  ecKeyInfo,
  EDDSA_KEY_BITS,
  KEY_TYPES,
  listsStatusRequest,
  signatureAlgorithmInfo,
} from './algorithms.js'
import type { Cert, GeneralNameConstraint, KeyInfo, NameConstraints } from './cert.js'
import { OID } from './cert.js'
import { nameKey } from './name-match.js'
import { readCertificateDer, tbsNameOf } from './read-certificate.js'
import type { SourcePosition } from './types.js'

/**
 * @peculiar/x509 keeps the parsed ASN.1 structure it already built as a
 * protected field; reading it avoids decoding every certificate twice.
 */
const asnOf = (c: x509.X509Certificate): AsnCertificate => (c as unknown as { asn: AsnCertificate }).asn

/**
 * Parses one DER certificate into the model. Throws on bytes that are not a
 * certificate; the loader turns that into a parse-error finding.
 *
 * Most certificates are read by walking their DER directly (about fifty
 * times faster than @peculiar/x509's object layer, which made a scan of
 * 10,000 files spend most of its time here); whatever that reader does not
 * cover exactly (name constraints, IPv6 SANs, non-ASCII names, unusual key
 * types or encodings) is read by @peculiar/x509 as before.
 */
export function buildCert(der: Uint8Array, source: SourcePosition): Cert {
  return readCertificateDer(der, source) ?? buildCertWithX509(der, source)
}

/** The model as @peculiar/x509 reads it: the reference the DER reader must agree with. */
export function buildCertWithX509(der: Uint8Array, source: SourcePosition): Cert {
  const lib = loadX509()
  const c = new lib.X509Certificate(der)
  const asn = asnOf(c)
  const tbs = asn.tbsCertificate
  const ext = <T extends x509.Extension>(type: new (raw: ArrayBuffer) => T): T | null => {
    try {
      return c.getExtension(type as never) as T | null
    } catch {
      return null
    }
  }

  const aia = ext(lib.AuthorityInfoAccessExtension)
  const crlDp = ext(lib.CRLDistributionPointsExtension)
  const ku = ext(lib.KeyUsagesExtension)
  const eku = ext(lib.ExtendedKeyUsageExtension)
  const bc = ext(lib.BasicConstraintsExtension)
  const ski = ext(lib.SubjectKeyIdentifierExtension)
  const aki = ext(lib.AuthorityKeyIdentifierExtension)
  const sanExt = ext(lib.SubjectAlternativeNameExtension)

  // The names as encoded, not as @peculiar/x509 re-encodes them: OCSP hashes the bytes (RFC 6960 §4.1.1).
  const subjectName = tbsNameOf(der, 'subject') ?? new Uint8Array(c.subjectName.toArrayBuffer())
  const subjectKey = nameKey(subjectName)
  const issuerKey = nameKey(tbsNameOf(der, 'issuer') ?? new Uint8Array(c.issuerName.toArrayBuffer()))

  return {
    der,
    x509: c,
    source,
    sha256: createHash('sha256').update(der).digest('hex'),
    spki: new Uint8Array(c.publicKey.rawData),
    version: tbs.version + 1,
    serial: c.serialNumber.toLowerCase(),
    subject: c.subject,
    issuer: c.issuer,
    subjectName,
    subjectKey,
    issuerKey,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    san: sanExt ? readSan(sanExt) : undefined,
    ocspUrls: urls(aia?.ocsp),
    caIssuersUrls: urls(aia?.caIssuers),
    crlUrls:
      crlDp?.distributionPoints.flatMap(
        (dp) =>
          dp.distributionPoint?.fullName?.flatMap((n) =>
            n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [],
          ) ?? [],
      ) ?? [],
    // An empty BIT STRING (no bit set) reads as NaN in @peculiar/x509.
    keyUsage: ku ? { flags: ku.usages || 0, critical: ku.critical } : undefined,
    extKeyUsage: eku ? { oids: eku.usages.map(String), critical: eku.critical } : undefined,
    basicConstraints: bc ? { ca: bc.ca, pathLength: bc.pathLength, critical: bc.critical } : undefined,
    subjectKeyId: ski?.keyId.toLowerCase(),
    authorityKeyId: aki?.keyId?.toLowerCase(),
    mustStaple: readMustStaple(c),
    ocspNoCheck: c.extensions.some((e) => e.type === OID.ocspNoCheck),
    nameConstraints: readNameConstraints(c),
    key: readKey(c),
    signatureAlgorithm: signatureAlgorithmInfo(asn.signatureAlgorithm.algorithm),
    selfIssued: subjectKey === issuerKey,
    extensions: c.extensions.map((e) => ({ oid: e.type, critical: e.critical })),
  }
}

function urls(names: x509.GeneralName[] | undefined): string[] {
  return (names ?? []).filter((n) => n.type === 'url').map((n) => n.value)
}

function readSan(sanExt: x509.SubjectAlternativeNameExtension): NonNullable<Cert['san']> {
  const san = { dns: [] as string[], ip: [] as string[], email: [] as string[], uri: [] as string[] }
  for (const name of sanExt.names.items) {
    if (name.type === 'dns') san.dns.push(name.value)
    else if (name.type === 'ip') san.ip.push(name.value)
    else if (name.type === 'email') san.email.push(name.value)
    else if (name.type === 'url') san.uri.push(name.value)
  }
  return { ...san, critical: sanExt.critical }
}

function readMustStaple(c: x509.X509Certificate): boolean {
  const tf = c.extensions.find((e) => e.type === OID.tlsFeature)
  return tf !== undefined && listsStatusRequest(new Uint8Array(tf.value))
}

function readKey(c: x509.X509Certificate): KeyInfo {
  const spki = asnOf(c).tbsCertificate.subjectPublicKeyInfo
  const oid = spki.algorithm.algorithm
  const type = KEY_TYPES[oid] ?? oid
  if (type === 'RSA' || type === 'RSA-PSS') {
    try {
      // node:crypto reports the modulus' exact bit length; @peculiar/x509
      // rounds it up to whole bytes, which hides BR 6.1.5's multiple-of-8 rule.
      const spki = createPublicKey({ key: Buffer.from(c.publicKey.rawData), format: 'der', type: 'spki' })
      const details = spki.asymmetricKeyDetails
      const n = spki.export({ format: 'jwk' }).n
      return {
        type: 'RSA',
        bits: details?.modulusLength ?? 0,
        exponent: details?.publicExponent,
        ...(n ? { modulus: BigInt(`0x${Buffer.from(n, 'base64url').toString('hex')}`) } : {}),
      }
    } catch {
      return { type: 'RSA', bits: 0 }
    }
  }
  if (type === 'EC') {
    const params = spki.algorithm.parameters
    const named = params && params.byteLength > 2 && new Uint8Array(params)[0] === 0x06
    return ecKeyInfo(named ? oidFromDer(new Uint8Array(params)) : undefined)
  }
  return { type, bits: EDDSA_KEY_BITS[type] ?? 0 }
}

function readNameConstraints(c: x509.X509Certificate): NameConstraints | undefined {
  const raw = c.extensions.find((e) => e.type === '2.5.29.30')
  if (!raw) return undefined
  const { AsnConvert } = asnSchema()
  const parsed = AsnConvert.parse(raw.value, asnX509().NameConstraints)
  const convert = (subtrees: { base: AsnGeneralName }[] | undefined): GeneralNameConstraint[] =>
    (subtrees ?? []).map(({ base }) => {
      if (base.dNSName !== undefined) return { type: 'dns', value: base.dNSName }
      if (base.rfc822Name !== undefined) return { type: 'email', value: base.rfc822Name }
      if (base.uniformResourceIdentifier !== undefined)
        return { type: 'uri', value: base.uniformResourceIdentifier }
      if (base.iPAddress !== undefined) return { type: 'ip', value: ipConstraint(base.iPAddress) }
      if (base.directoryName !== undefined)
        return { type: 'dn', value: nameKey(new Uint8Array(AsnConvert.serialize(base.directoryName))) }
      return { type: 'other', value: '' }
    })
  return {
    critical: raw.critical,
    permitted: convert(parsed.permittedSubtrees),
    excluded: convert(parsed.excludedSubtrees),
  }
}

/** iPAddress in a name constraint is address followed by mask (RFC 5280 §4.2.1.10). */
function ipConstraint(value: string): string {
  // asn1-x509 renders the OCTET STRING as dotted or colon text; keep the raw
  // form when it cannot be split into address and mask of equal length.
  return value
}

function oidFromDer(bytes: Uint8Array): string {
  const len = bytes[1]
  const body = bytes.subarray(2, 2 + len)
  const parts = [Math.floor(body[0] / 40), body[0] % 40]
  let acc = 0
  for (let i = 1; i < body.length; i++) {
    acc = acc * 128 + (body[i] & 0x7f)
    if (!(body[i] & 0x80)) {
      parts.push(acc)
      acc = 0
    }
  }
  return parts.join('.')
}
