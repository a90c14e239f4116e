import * as x509 from '../../model/x509.js'

/** keyUsage bit names in RFC 5280 §4.2.1.3 order, with their model flags. */
export const KEY_USAGE_BITS: readonly [name: string, flag: number][] = [
  ['digitalSignature', x509.KeyUsageFlags.digitalSignature],
  ['nonRepudiation', x509.KeyUsageFlags.nonRepudiation],
  ['keyEncipherment', x509.KeyUsageFlags.keyEncipherment],
  ['dataEncipherment', x509.KeyUsageFlags.dataEncipherment],
  ['keyAgreement', x509.KeyUsageFlags.keyAgreement],
  ['keyCertSign', x509.KeyUsageFlags.keyCertSign],
  ['cRLSign', x509.KeyUsageFlags.cRLSign],
  ['encipherOnly', x509.KeyUsageFlags.encipherOnly],
  ['decipherOnly', x509.KeyUsageFlags.decipherOnly],
]

/** The names of the bits of `mask` that `flags` asserts, e.g. ['keyEncipherment']. */
export function assertedBits(flags: number, mask: number): string[] {
  return KEY_USAGE_BITS.filter(([, flag]) => flags & mask & flag).map(([name]) => name)
}

export const KeyUsage = x509.KeyUsageFlags
