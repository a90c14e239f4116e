import { KEY_USAGE } from '../../model/cert.js'

/** keyUsage bit names in RFC 5280 §4.2.1.3 order, with their model flags. */
export const KEY_USAGE_BITS: readonly [name: string, flag: number][] = [
  ['digitalSignature', KEY_USAGE.digitalSignature],
  ['nonRepudiation', KEY_USAGE.nonRepudiation],
  ['keyEncipherment', KEY_USAGE.keyEncipherment],
  ['dataEncipherment', KEY_USAGE.dataEncipherment],
  ['keyAgreement', KEY_USAGE.keyAgreement],
  ['keyCertSign', KEY_USAGE.keyCertSign],
  ['cRLSign', KEY_USAGE.cRLSign],
  ['encipherOnly', KEY_USAGE.encipherOnly],
  ['decipherOnly', KEY_USAGE.decipherOnly],
]

/** The names of the bits of `mask` that `flags` asserts, e.g. ['keyEncipherment']. */
export function assertedBits(flags: number, mask: number): string[] {
  return KEY_USAGE_BITS.filter(([, flag]) => flags & mask & flag).map(([name]) => name)
}

export const KeyUsage = KEY_USAGE
