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
