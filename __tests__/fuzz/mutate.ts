// Mutations of valid inputs for the fuzz tests: each is a plain value (so
// fast-check can print and shrink it) applied to bytes made at test time.
// Positions are taken modulo the input's length, so one mutation fits any input.
import fc from 'fast-check'

/** How a DER length field is rewritten (X.690 §8.1.3): each a form a strict decoder must refuse or measure. */
export const LENGTH_FORMS = [
  'indefinite',
  'huge',
  'too-many-octets',
  'non-minimal',
  'plus-one',
  'minus-one',
  'zero',
] as const
export type LengthForm = (typeof LENGTH_FORMS)[number]

export type Mutation =
  | { kind: 'flip-bit'; at: number; bit: number }
  | { kind: 'set-byte'; at: number; value: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'extend'; bytes: Uint8Array }
  | { kind: 'delete'; at: number; count: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'duplicate'; at: number; count: number; to: number }
  | { kind: 'splice-length'; header: number; form: LengthForm }
  | { kind: 'nest'; depth: number; indefinite: boolean }

const position = fc.nat({ max: 1 << 20 })

export const mutationArbitrary: fc.Arbitrary<Mutation> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('flip-bit'), at: position, bit: fc.nat({ max: 7 }) }),
    weight: 4,
  },
  {
    arbitrary: fc.record({ kind: fc.constant('set-byte'), at: position, value: fc.nat({ max: 255 }) }),
    weight: 2,
  },
  fc.record({ kind: fc.constant('truncate'), at: position }),
  fc.record({ kind: fc.constant('extend'), bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }) }),
  fc.record({ kind: fc.constant('delete'), at: position, count: fc.integer({ min: 1, max: 64 }) }),
  fc.record({
    kind: fc.constant('insert'),
    at: position,
    bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
  }),
  fc.record({
    kind: fc.constant('duplicate'),
    at: position,
    count: fc.integer({ min: 1, max: 256 }),
    to: position,
  }),
  {
    arbitrary: fc.record({
      kind: fc.constant('splice-length'),
      header: fc.oneof(fc.nat({ max: 4 }), position),
      form: fc.constantFrom(...LENGTH_FORMS),
    }),
    weight: 4,
  },
  fc.record({ kind: fc.constant('nest'), depth: fc.integer({ min: 1, max: 64 }), indefinite: fc.boolean() }),
) as fc.Arbitrary<Mutation>

/** One to three mutations in a row: single faults are the common case, combinations find the odd ones. */
export const mutationsArbitrary = fc.array(mutationArbitrary, { minLength: 1, maxLength: 3 })

export function applyMutations(bytes: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  return mutations.reduce(applyMutation, bytes)
}

export function applyMutation(bytes: Uint8Array, mutation: Mutation): Uint8Array {
  const length = bytes.length
  const at = (n: number): number => (length === 0 ? 0 : n % length)
  switch (mutation.kind) {
    case 'flip-bit': {
      if (length === 0) return bytes
      const copy = bytes.slice()
      copy[at(mutation.at)] ^= 1 << mutation.bit
      return copy
    }
    case 'set-byte': {
      if (length === 0) return bytes
      const copy = bytes.slice()
      copy[at(mutation.at)] = mutation.value
      return copy
    }
    case 'truncate':
      return bytes.slice(0, at(mutation.at))
    case 'extend':
      return concat(bytes, mutation.bytes)
    case 'delete': {
      const start = at(mutation.at)
      return concat(bytes.subarray(0, start), bytes.subarray(start + mutation.count))
    }
    case 'insert': {
      const start = at(mutation.at)
      return concat(bytes.subarray(0, start), mutation.bytes, bytes.subarray(start))
    }
    case 'duplicate': {
      const start = at(mutation.at)
      const chunk = bytes.subarray(start, start + mutation.count)
      const to = at(mutation.to)
      return concat(bytes.subarray(0, to), chunk, bytes.subarray(to))
    }
    case 'splice-length':
      return spliceLength(bytes, mutation.header, mutation.form)
    case 'nest':
      return nest(bytes, mutation.depth, mutation.indefinite)
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts))
}

/** DER length octets for `length` in the minimal form. */
export function derLength(length: number): Uint8Array {
  if (length < 0x80) return Uint8Array.of(length)
  const octets: number[] = []
  for (let n = length; n > 0; n = Math.floor(n / 256)) octets.unshift(n % 256)
  return Uint8Array.of(0x80 | octets.length, ...octets)
}

interface Header {
  offset: number
  /** Offset just past the length octets. */
  start: number
  length: number
}

/** The headers of every definite-length element reachable from the outermost one, in document order. */
export function derHeaders(bytes: Uint8Array): Header[] {
  const headers: Header[] = []
  const walk = (from: number, to: number, depth: number): void => {
    for (let offset = from; offset + 2 <= to && depth < 64;) {
      const tag = bytes[offset]
      const first = bytes[offset + 1]
      let start = offset + 2
      let length = first
      if (first === 0x80 || (tag & 0x1f) === 0x1f) return
      if (first > 0x80) {
        const count = first & 0x7f
        if (count > 4 || start + count > to) return
        length = 0
        for (let i = 0; i < count; i++) length = length * 256 + bytes[start + i]
        start += count
      }
      if (start + length > to) return
      headers.push({ offset, start, length })
      if (tag & 0x20) walk(start, start + length, depth + 1)
      offset = start + length
    }
  }
  walk(0, bytes.length, 0)
  return headers
}

function spliceLength(bytes: Uint8Array, pick: number, form: LengthForm): Uint8Array {
  const headers = derHeaders(bytes)
  if (headers.length === 0) return bytes
  const { offset, start, length } = headers[pick % headers.length]
  const replacement = {
    indefinite: Uint8Array.of(0x80),
    huge: Uint8Array.of(0x84, 0xff, 0xff, 0xff, 0xf0),
    'too-many-octets': Uint8Array.of(0x89, 0, 0, 0, 0, 0, 0, 0, 0, length & 0xff),
    'non-minimal': nonMinimalLength(length),
    'plus-one': derLength(length + 1),
    'minus-one': derLength(Math.max(0, length - 1)),
    zero: Uint8Array.of(0),
  }[form]
  return concat(bytes.subarray(0, offset + 1), replacement, bytes.subarray(start))
}

/** Length octets for `length` with one leading zero octet more than DER's shortest form. */
function nonMinimalLength(length: number): Uint8Array {
  const minimal = derLength(length)
  const octets = minimal.length === 1 ? minimal : minimal.subarray(1)
  return Uint8Array.of(0x80 | (octets.length + 1), 0, ...octets)
}

/** Wraps the bytes in `depth` SEQUENCEs, each with a correct length or the BER indefinite form. */
export function nest(bytes: Uint8Array, depth: number, indefinite: boolean): Uint8Array {
  if (indefinite) {
    const open = new Uint8Array(depth * 2).fill(0x30)
    for (let i = 1; i < open.length; i += 2) open[i] = 0x80
    return concat(open, bytes, new Uint8Array(depth * 2))
  }
  let inner = bytes
  for (let i = 0; i < depth; i++) inner = concat(Uint8Array.of(0x30), derLength(inner.length), inner)
  return inner
}

/** PEM armour (RFC 7468) with 64-character lines. */
export function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

/** DER-shaped random trees: tags, lengths and nesting a parser meets in garbage that looks like ASN.1. */
export const randomDerArbitrary: fc.Arbitrary<Uint8Array> = fc.letrec<{ node: Uint8Array }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .tuple(fc.nat({ max: 255 }), fc.uint8Array({ maxLength: 40 }))
      .map(([tag, content]) => concat(Uint8Array.of(tag & ~0x20), derLength(content.length), content)),
    fc
      .tuple(fc.constantFrom(0x30, 0x31, 0xa0, 0xa1, 0xa3, 0x24), fc.array(tie('node'), { maxLength: 5 }))
      .map(([tag, children]) => {
        const content = concat(...children)
        return concat(Uint8Array.of(tag), derLength(content.length), content)
      }),
  ),
})).node
