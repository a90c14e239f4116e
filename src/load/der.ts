// Just enough DER (X.690) to tell what a blob is and whether its outer length
// matches the bytes present, before a full parser runs. Parsers report
// truncation and trailing data vaguely or not at all; an operator needs
// "declares 1234 bytes but the file has 800".

/** What a DER blob holds, guessed from the shape of its first elements. */
export type DerContent = 'certificate' | 'crl' | 'pkcs7' | 'ocsp-response'

export const DER_CONTENT_NAMES: Record<DerContent, string> = {
  certificate: 'certificate',
  crl: 'CRL',
  pkcs7: 'PKCS#7 bundle',
  'ocsp-response': 'OCSP response',
}

interface Tlv {
  tag: number
  /** Offset of the content octets. */
  start: number
  /** Declared content length; undefined for the BER indefinite form. */
  length?: number
}

const TAG = {
  integer: 0x02,
  enumerated: 0x0a,
  oid: 0x06,
  sequence: 0x30,
  utcTime: 0x17,
  generalizedTime: 0x18,
}
const EXPLICIT_0 = 0xa0

/** Reads the tag and length octets at `offset`; undefined when they are cut off or malformed. */
function readHeader(bytes: Uint8Array, offset: number): Tlv | undefined {
  if (offset + 2 > bytes.length) return undefined
  const tag = bytes[offset]
  // High-tag-number form (X.690 §8.1.2.4) never occurs at the levels we look at.
  if ((tag & 0x1f) === 0x1f) return undefined
  const first = bytes[offset + 1]
  if (first < 0x80) return { tag, start: offset + 2, length: first }
  if (first === 0x80) return { tag, start: offset + 2 }
  const count = first & 0x7f
  if (count > 4 || offset + 2 + count > bytes.length) return undefined
  let length = 0
  for (let i = 0; i < count; i++) length = length * 256 + bytes[offset + 2 + i]
  return { tag, start: offset + 2 + count, length }
}

/** Tags of the children of the constructed element `tlv`, as far as their headers are present. */
function childTags(bytes: Uint8Array, tlv: Tlv, max: number): number[] {
  const tags: number[] = []
  let offset = tlv.start
  while (tags.length < max) {
    const child = readHeader(bytes, offset)
    if (!child || child.length === undefined) break
    tags.push(child.tag)
    offset = child.start + child.length
  }
  return tags
}

/**
 * Guesses the content of a DER blob from its outer shape: ContentInfo
 * (RFC 5652 §3) starts with an OID, OCSPResponse (RFC 6960 §4.2.1) with an
 * ENUMERATED, Certificate and CertificateList (RFC 5280 §4.1, §5.1) with a
 * signed TBS SEQUENCE whose fourth field tells them apart (validity SEQUENCE
 * in a certificate, thisUpdate time in a CRL). Undefined when it is not DER
 * of any of these shapes.
 */
export function sniffDer(bytes: Uint8Array): DerContent | undefined {
  const outer = readHeader(bytes, 0)
  if (!outer || outer.tag !== TAG.sequence) return undefined
  const first = readHeader(bytes, outer.start)
  if (!first) return undefined
  if (first.tag === TAG.oid) return 'pkcs7'
  if (first.tag === TAG.enumerated) return 'ocsp-response'
  if (first.tag !== TAG.sequence) return undefined
  const tbs = childTags(bytes, first, 4)
  if (tbs[0] === EXPLICIT_0) return 'certificate'
  // Skip the optional leading INTEGER (certificate serial or CRL version), then algorithm and issuer.
  const afterIssuer = tbs[0] === TAG.integer ? tbs[3] : tbs[2]
  if (afterIssuer === TAG.utcTime || afterIssuer === TAG.generalizedTime) return 'crl'
  return 'certificate'
}

/**
 * Checks that the outer element's declared length covers exactly the bytes
 * present: fewer means a truncated copy, more means trailing data, which
 * strict parsers (Go's x/crypto/ocsp among them) reject. Returns the problem
 * in words, or undefined when the envelope is sound (or BER indefinite
 * length, which only the full parser can measure).
 */
export function checkDerLength(
  bytes: Uint8Array,
  content: DerContent,
  container: 'file' | 'PEM block',
): string | undefined {
  const name = DER_CONTENT_NAMES[content]
  const outer = readHeader(bytes, 0)
  if (!outer) return `DER is truncated: the ${name} header is incomplete (${bytes.length} bytes)`
  if (outer.length === undefined) return undefined
  const declared = outer.start + outer.length
  if (declared > bytes.length) {
    return `DER is truncated: the ${name} declares ${declared} bytes but the ${container} has ${bytes.length}`
  }
  if (declared < bytes.length) {
    return `DER has ${bytes.length - declared} bytes of trailing data after the ${declared}-byte ${name}`
  }
  return undefined
}

/** Length of the first DER element (header and content), or undefined when it cannot be measured. */
export function firstElementLength(bytes: Uint8Array): number | undefined {
  const outer = readHeader(bytes, 0)
  return outer?.length === undefined ? undefined : outer.start + outer.length
}

/** Constructed elements nest about 8 deep in a certificate; thousands is an attack on recursive parsers. */
export const MAX_DER_DEPTH = 64

/** SEQUENCE and SET are the only universal types DER encodes constructed (X.690 §10.2: strings are primitive). */
const CONSTRUCTED_UNIVERSAL = new Set([0x30, 0x31])

/**
 * Checks that `bytes` is exactly one element in DER's length rules (X.690
 * §10.1): definite lengths in the fewest octets, every element inside its
 * parent, no constructed strings, no nesting beyond MAX_DER_DEPTH, no
 * trailing data. The generic parsers accept BER, so a re-encoded length
 * would otherwise leave a certificate whose signature still verifies but
 * whose bytes (and fingerprint) are not the ones the CA issued; Go and
 * BoringSSL reject such input, and so must the gate. Walks iteratively, so
 * deep nesting cannot exhaust the stack. Returns the first problem in words,
 * or undefined.
 */
export function derEncodingProblem(bytes: Uint8Array): string | undefined {
  const open: number[] = []
  let offset = 0
  for (;;) {
    while (open.length > 0 && offset === open[open.length - 1]) open.pop()
    if (open.length === 0 && offset > 0) {
      return offset < bytes.length
        ? `${bytes.length - offset} bytes of trailing data at byte ${offset}`
        : undefined
    }
    const limit = open.length > 0 ? open[open.length - 1] : bytes.length
    const element = readStrictHeader(bytes, offset, limit)
    if (typeof element === 'string') return element
    if (!(element.tag & 0x20)) {
      offset = element.end
      continue
    }
    if ((element.tag & 0xc0) === 0 && !CONSTRUCTED_UNIVERSAL.has(element.tag)) {
      return `constructed encoding of universal tag 0x${element.tag.toString(16)} at byte ${offset} (BER, not DER)`
    }
    if (open.length >= MAX_DER_DEPTH)
      return `elements nest deeper than ${MAX_DER_DEPTH} levels at byte ${offset}`
    open.push(element.end)
    offset = element.start
  }
}

/** The element at `offset`, which must end by `limit`, or why its identifier or length octets are not DER. */
function readStrictHeader(
  bytes: Uint8Array,
  offset: number,
  limit: number,
): { tag: number; start: number; end: number } | string {
  const tag = bytes[offset]
  let at = offset + 1
  // High-tag-number form (X.690 §8.1.2.4): more identifier octets while bit 8 is set.
  if ((tag & 0x1f) === 0x1f) {
    while (at < limit && bytes[at] & 0x80) at++
    at++
  }
  if (at >= limit) return `element at byte ${offset} is cut off`
  const first = bytes[at++]
  let length = first
  if (first === 0x80) return `indefinite length at byte ${offset} (BER, not DER)`
  if (first > 0x80) {
    const count = first & 0x7f
    if (count > 4) return `length of ${count} octets at byte ${offset}`
    if (at + count > limit) return `length octets at byte ${offset} are cut off`
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + bytes[at + i]
    if (bytes[at] === 0 || length < 0x80) return `length at byte ${offset} is not in the shortest form`
    at += count
  }
  if (at + length > limit) {
    return `element at byte ${offset} declares ${length} bytes but only ${limit - at} remain`
  }
  return { tag, start: at, end: at + length }
}

const OCTET_STRING = 0x04

/** The value of a one-octet INTEGER at `offset` (a version field), or undefined. */
function versionAt(bytes: Uint8Array, offset: number): number | undefined {
  const tlv = readHeader(bytes, offset)
  return tlv?.tag === TAG.integer && tlv.length === 1 ? bytes[tlv.start] : undefined
}

/** The content octets of the OID that opens the SEQUENCE at `offset`, as hex, or undefined. */
function leadingOidHex(bytes: Uint8Array, offset: number): string | undefined {
  const sequence = readHeader(bytes, offset)
  if (sequence?.tag !== TAG.sequence) return undefined
  const oid = readHeader(bytes, sequence.start)
  if (oid?.tag !== TAG.oid || oid.length === undefined || oid.start + oid.length > bytes.length)
    return undefined
  return Buffer.from(bytes.subarray(oid.start, oid.start + oid.length)).toString('hex')
}

/** The offset just past the element at `offset`. */
function after(bytes: Uint8Array, offset: number): number {
  const tlv = readHeader(bytes, offset)
  return tlv?.length === undefined ? bytes.length : tlv.start + tlv.length
}

// PKCS#5 (1.2.840.113549.1.5.*: PBES2, PBES1) and PKCS#12 (1.2.840.113549.1.12.1.*) encryption schemes.
const KEY_ENCRYPTION_OID = /^2a864886f70d0105|^2a864886f70d010c01/
// PKCS#7 data and signedData (1.2.840.113549.1.7.1, .2): a PFX's authSafe.
const PFX_CONTENT_OID = /^2a864886f70d01070[12]$/

/**
 * What kind of private key (or key container) a DER blob is, told from the
 * tags, version and algorithm OIDs of its outer SEQUENCE alone, so no key
 * octet is read or can reach a report; undefined when it is none of them.
 * The shapes (RFC 5958 §2 and §3, RFC 8017 A.1.2, RFC 5915 §3, RFC 7292
 * §4, openssl's DSA) all start differently from a certificate, CRL, OCSP
 * response or ContentInfo, so none of those is ever taken for a key.
 */
export function sniffPrivateKey(bytes: Uint8Array): string | undefined {
  const outer = readHeader(bytes, 0)
  if (!outer || outer.tag !== TAG.sequence || outer.length === undefined) return undefined
  const tags = childTags(bytes, outer, 10)
  if (tags.length === 2 && tags[1] === OCTET_STRING) {
    const scheme = leadingOidHex(bytes, outer.start)
    return scheme && KEY_ENCRYPTION_OID.test(scheme) ? 'PKCS#8 EncryptedPrivateKeyInfo' : undefined
  }
  if (tags[0] !== TAG.integer) return undefined
  const version = versionAt(bytes, outer.start)
  const second = after(bytes, outer.start)
  const integers = tags.filter((tag) => tag === TAG.integer).length
  if ((version === 0 || version === 1) && tags[2] === OCTET_STRING && leadingOidHex(bytes, second))
    return 'PKCS#8 PrivateKeyInfo'
  if (version === 3 && PFX_CONTENT_OID.test(leadingOidHex(bytes, second) ?? ''))
    return 'PKCS#12 archive (keys and certificates)'
  const secret = readHeader(bytes, second)
  // SEC 1: the private key octets are as long as the curve's order (P-192 … P-521, secp256k1, brainpool).
  if (version === 1 && secret?.tag === OCTET_STRING && secret.length! >= 20 && secret.length! <= 66)
    return 'SEC 1 ECPrivateKey'
  if (version === 0 && tags.length >= 9 && integers === tags.length) return 'PKCS#1 RSAPrivateKey'
  if (version === 0 && tags.length === 6 && integers === 6) return 'DSA private key'
  return undefined
}
