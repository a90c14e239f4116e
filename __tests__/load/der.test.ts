// The strict DER walk (X.690 §10.1) the loader and the OCSP parser run
// before the lenient generic parsers: shapes from the fuzz tests' corpus.
import { describe, expect, it } from '@jest/globals'
import { derEncodingProblem, MAX_DER_DEPTH } from '../../src/load/der.js'
import { nest } from '../fuzz/mutate.js'

const bytes = (...values: number[]) => Uint8Array.of(...values)

describe('derEncodingProblem', () => {
  it('accepts nested definite lengths in the shortest form, short and long', () => {
    const long = new Uint8Array(200).fill(0x41)
    expect(derEncodingProblem(bytes(0x30, 0x05, 0x02, 0x01, 0x05, 0x31, 0x00))).toBeUndefined()
    expect(derEncodingProblem(Uint8Array.of(0x04, 0x81, 200, ...long))).toBeUndefined()
    expect(derEncodingProblem(nest(bytes(0x05, 0x00), MAX_DER_DEPTH, false))).toBeUndefined()
  })

  it('refuses the BER forms generic parsers accept', () => {
    expect(derEncodingProblem(bytes(0x30, 0x80, 0x05, 0x00, 0x00, 0x00))).toBe(
      'indefinite length at byte 0 (BER, not DER)',
    )
    expect(derEncodingProblem(bytes(0x30, 0x81, 0x02, 0x05, 0x00))).toBe(
      'length at byte 0 is not in the shortest form',
    )
    expect(derEncodingProblem(bytes(0x30, 0x82, 0x00, 0x02, 0x05, 0x00))).toBe(
      'length at byte 0 is not in the shortest form',
    )
    expect(derEncodingProblem(bytes(0x24, 0x03, 0x04, 0x01, 0x41))).toMatch(
      /^constructed encoding of universal tag 0x24/,
    )
  })

  it('refuses lengths that overrun their parent, huge lengths and trailing data', () => {
    expect(derEncodingProblem(bytes(0x30, 0x03, 0x04, 0x05, 0x00))).toBe(
      'element at byte 2 declares 5 bytes but only 1 remain',
    )
    expect(derEncodingProblem(bytes(0x30, 0x84, 0xff, 0xff, 0xff, 0xf0))).toMatch(/declares 4294967280 bytes/)
    expect(derEncodingProblem(bytes(0x30, 0x89, 0, 0, 0, 0, 0, 0, 0, 0, 2))).toBe(
      'length of 9 octets at byte 0',
    )
    expect(derEncodingProblem(bytes(0x05, 0x00, 0x00))).toBe('1 bytes of trailing data at byte 2')
    expect(derEncodingProblem(new Uint8Array())).toBe('element at byte 0 is cut off')
  })

  it('ends 10,000 nested SEQUENCEs without recursion, at the depth limit', () => {
    for (const indefinite of [false, true]) {
      expect(derEncodingProblem(nest(bytes(0x05, 0x00), 10_000, indefinite))).toMatch(
        indefinite ? /^indefinite length at byte 0/ : /^elements nest deeper than 64 levels at byte \d+$/,
      )
    }
  })
})
