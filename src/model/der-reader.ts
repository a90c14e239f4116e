// The few DER primitives the certificate reader needs (X.690 §8 and §10):
// elements are located by offset into the original bytes, never copied, so
// reading a certificate allocates little more than the model it fills.

/** The bytes are not the DER this reader expects; the caller decides what that means. */
export class DerReadError extends Error {
  override name = 'DerReadError'
}

/** One element: its single identifier octet and where its content lies in the buffer. */
export interface DerElement {
  tag: number
  /** Offset of the identifier octet. */
  offset: number
  /** Offset of the first content octet. */
  start: number
  /** Offset just past the last content octet. */
  end: number
}

export const TAG = {
  boolean: 0x01,
  integer: 0x02,
  bitString: 0x03,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utf8String: 0x0c,
  printableString: 0x13,
  ia5String: 0x16,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
} as const

/**
 * The element at `offset`, which must end by `limit`. Only the definite,
 * shortest length forms DER allows (X.690 §10.1) and low tag numbers are
 * accepted: anything else is left to a general parser.
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number): DerElement {
  if (offset + 2 > limit) throw new DerReadError(`element header runs past byte ${limit}`)
  const tag = bytes[offset]
  if ((tag & 0x1f) === 0x1f) throw new DerReadError(`high tag number at byte ${offset}`)
  let length = bytes[offset + 1]
  let start = offset + 2
  if (length & 0x80) {
    const octets = length & 0x7f
    if (octets === 0 || octets > 3 || start + octets > limit || bytes[start] === 0) {
      throw new DerReadError(`length at byte ${offset} is not in DER's definite form`)
    }
    length = 0
    for (let i = 0; i < octets; i++) length = length * 256 + bytes[start + i]
    start += octets
    if (length < 0x80) throw new DerReadError(`length at byte ${offset} is not in its shortest form`)
  }
  const end = start + length
  if (end > limit) throw new DerReadError(`element at byte ${offset} runs past byte ${limit}`)
  return { tag, offset, start, end }
}

/** `element`, checked to carry `tag`. */
export function expectTag(element: DerElement, tag: number, what: string): DerElement {
  if (element.tag !== tag) {
    throw new DerReadError(`${what}: tag 0x${element.tag.toString(16)} at byte ${element.offset}`)
  }
  return element
}

/** The elements inside a constructed element, in order; they must fill it exactly. */
export function childrenOf(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = []
  for (let at = parent.start; at < parent.end;) {
    const child = readElement(bytes, at, parent.end)
    children.push(child)
    at = child.end
  }
  return children
}

/** The content octets of an element, as a view on the same buffer. */
export const contentOf = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.subarray(element.start, element.end)

/** The whole element, header included, as a view on the same buffer. */
export const encodingOf = (bytes: Uint8Array, element: DerElement): Uint8Array =>
  bytes.subarray(element.offset, element.end)

// The same few dozen OIDs recur in every certificate: one string each, not one per certificate.
const knownOids = new Map<string, string>()
const MAX_KNOWN_OIDS = 4096

/** OBJECT IDENTIFIER content in dotted form (X.690 §8.19); arcs beyond 2^53 are refused. */
export function oidOf(bytes: Uint8Array, element: DerElement): string {
  expectTag(element, TAG.oid, 'OBJECT IDENTIFIER expected')
  const content = Buffer.from(bytes.buffer, bytes.byteOffset + element.start, element.end - element.start)
  const key = content.toString('latin1')
  let oid = knownOids.get(key)
  if (oid === undefined) {
    oid = dottedOid(bytes, element)
    if (knownOids.size < MAX_KNOWN_OIDS) knownOids.set(key, oid)
  }
  return oid
}

function dottedOid(bytes: Uint8Array, element: DerElement): string {
  if (element.start === element.end)
    throw new DerReadError(`empty OBJECT IDENTIFIER at byte ${element.offset}`)
  const arcs: number[] = []
  let value = 0
  for (let i = element.start; i < element.end; i++) {
    const octet = bytes[i]
    if (value === 0 && octet === 0x80) throw new DerReadError(`OID arc with a leading 0x80 at byte ${i}`)
    value = value * 128 + (octet & 0x7f)
    if (value > Number.MAX_SAFE_INTEGER) throw new DerReadError(`OID arc too large at byte ${i}`)
    if (octet & 0x80) continue
    if (arcs.length === 0)
      arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80)
    else arcs.push(value)
    value = 0
  }
  if (bytes[element.end - 1] & 0x80)
    throw new DerReadError(`OID ends inside an arc at byte ${element.offset}`)
  return arcs.join('.')
}

/** Text of a string element whose octets are all printable ASCII; anything else is refused. */
export function asciiOf(bytes: Uint8Array, element: DerElement): string {
  for (let i = element.start; i < element.end; i++) {
    if (bytes[i] < 0x20 || bytes[i] > 0x7e) throw new DerReadError(`non-ASCII string octet at byte ${i}`)
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset + element.start, element.end - element.start).toString(
    'latin1',
  )
}

/** BOOLEAN content: DER allows only 0x00 and 0xFF (X.690 §11.1). */
export function booleanOf(bytes: Uint8Array, element: DerElement): boolean {
  expectTag(element, TAG.boolean, 'BOOLEAN expected')
  const value = bytes[element.start]
  if (element.end - element.start !== 1 || (value !== 0 && value !== 0xff)) {
    throw new DerReadError(`BOOLEAN at byte ${element.offset} is not DER`)
  }
  return value === 0xff
}

/** Lower-case hex of the content octets. */
export const hexOf = (bytes: Uint8Array, element: DerElement): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset + element.start, element.end - element.start).toString('hex')
