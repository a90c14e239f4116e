// The one way certgate compares distinguished names (RFC 5280 §7.1): every
// attribute value of a string type is prepared and the Name reduced to a
// key; two names match when their keys are equal. Issuer/subject chaining,
// issuer pools and trust anchors, OCSP ResponderIDs, CRL issuers and
// directoryName constraints all compare these keys, so a CA whose subject is
// a PrintableString matches a leaf whose issuer spells it as a UTF8String,
// in another case or with extra spaces.
//
// The preparation is the part of RFC 4518's that the verifiers certgate
// gates for apply: values of every string type transcoded to Unicode,
// insignificant space removed (§2.6.1) and case folded, as OpenSSL's
// X509_NAME_cmp (x509_name_canon) and Chromium's verify_name_match do. Like
// both, it folds ASCII letters and spaces only: RFC 4518's full Unicode
// folding and NFKC would match names those clients reject, and a gate that
// passes a chain the clients then refuse is wrong where it matters.
import { childrenOf, contentOf, DerReadError, expectTag, oidOf, readElement, TAG } from './der-reader.js'

/** The key of the empty Name (SEQUENCE {}): RFC 5280 §4.1.2.4 forbids it as an issuer. */
export const EMPTY_NAME_KEY = ''

// Separators that never occur in a key's values: prepared values come from
// text and ASCII control characters 1 and 2 are not part of any real name;
// a value holding them is keyed by its bytes (hex) instead.
const RDN_SEPARATOR = '\u0001'
const ATTRIBUTE_SEPARATOR = '\u0002'

const utf8 = new TextDecoder('utf-8', { fatal: true })
const utf16be = new TextDecoder('utf-16be', { fatal: true })

/**
 * String types whose values are compared as prepared text, with how each is
 * decoded: OpenSSL's ASN1_MASK_CANON (NumericString is compared as bytes).
 */
const STRING_DECODERS: Readonly<Record<number, (bytes: Uint8Array) => string>> = {
  [TAG.utf8String]: (bytes) => utf8.decode(bytes),
  [TAG.printableString]: latin1,
  0x14: latin1, // TeletexString: OpenSSL reads it as ISO 8859-1
  [TAG.ia5String]: latin1,
  0x1a: latin1, // VisibleString
  0x1c: utf32be, // UniversalString
  0x1e: (bytes) => utf16be.decode(bytes), // BMPString
}

function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
}

function utf32be(bytes: Uint8Array): string {
  if (bytes.length % 4) throw new DerReadError('UniversalString length is not a multiple of 4')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let text = ''
  for (let i = 0; i < bytes.length; i += 4) text += String.fromCodePoint(view.getUint32(i))
  return text
}

// ASCII white space as OpenSSL's ossl_isspace reads it: space, tab, LF, VT, FF, CR.
const SPACES = /[ \t\n\v\f\r]+/g

/**
 * A value prepared for comparison: insignificant space removed (none leading
 * or trailing, each run inside reduced to one space) and ASCII letters
 * lower-cased; other characters are compared as they are.
 */
export function prepareValue(value: string): string {
  return value
    .replace(SPACES, ' ')
    .trim()
    .replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')

/** One AttributeTypeAndValue: the type and its prepared value, or the value's tag and octets when it is not a string. */
function attributeKey(der: Uint8Array, attribute: ReturnType<typeof readElement>): string {
  const [type, value, ...extra] = childrenOf(der, expectTag(attribute, TAG.sequence, 'AttributeTypeAndValue'))
  if (!value || extra.length > 0) throw new DerReadError('AttributeTypeAndValue is not two elements')
  const oid = oidOf(der, type)
  const decode = STRING_DECODERS[value.tag]
  if (decode) {
    try {
      const text = decode(contentOf(der, value))
      if (!text.includes(RDN_SEPARATOR) && !text.includes(ATTRIBUTE_SEPARATOR))
        return `${oid}=${prepareValue(text)}`
    } catch {
      // Bytes that do not decode in their declared type match only themselves.
    }
  }
  return `${oid}#${value.tag.toString(16)}:${hex(contentOf(der, value))}`
}

/**
 * The comparison key of a DER-encoded Name (RFC 5280 §4.1.2.4, §7.1): RDNs in
 * order, the attributes of each RDN as a set. Names whose keys are equal
 * match. Bytes that are not a Name this reader understands match only an
 * identical encoding.
 */
export function nameKey(der: Uint8Array): string {
  try {
    const name = expectTag(readElement(der, 0, der.length), TAG.sequence, 'Name')
    if (name.end !== der.length) throw new DerReadError('trailing data after the Name')
    return childrenOf(der, name)
      .map((rdn) => {
        const attributes = childrenOf(der, expectTag(rdn, TAG.set, 'RelativeDistinguishedName'))
        if (attributes.length === 0) throw new DerReadError('empty RelativeDistinguishedName')
        return attributes
          .map((attribute) => attributeKey(der, attribute))
          .sort()
          .join(ATTRIBUTE_SEPARATOR)
      })
      .join(RDN_SEPARATOR)
  } catch {
    return `der:${hex(der)}`
  }
}

/** The RDN keys of a name key, in order: a directoryName constraint is a leading run of them (RFC 5280 §4.2.1.10). */
export function rdnKeysOf(key: string): string[] {
  return key === EMPTY_NAME_KEY ? [] : key.split(RDN_SEPARATOR)
}
