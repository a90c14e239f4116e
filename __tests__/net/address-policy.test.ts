import { describe, expect, test } from '@jest/globals'
import { addressRefusal, hostnameRefusal } from '../../src/net/address-policy.js'

/** Never contacted, whoever names them: metadata and link-local, in every spelling that reaches them. */
const NEVER: [string, RegExp][] = [
  ['169.254.169.254', /metadata/],
  ['169.254.170.2', /metadata/],
  ['100.100.100.200', /metadata.*Alibaba/],
  ['168.63.129.16', /metadata.*Azure/],
  ['fd00:ec2::254', /metadata/],
  ['169.254.10.1', /link-local/],
  ['fe80::1', /link-local/],
  ['fe80::1%eth0', /link-local/],
  // The metadata address inside every IPv6 form that carries an IPv4 address.
  ['::ffff:169.254.169.254', /metadata.*IPv4-mapped/],
  ['::ffff:a9fe:a9fe', /metadata.*IPv4-mapped/],
  ['::169.254.169.254', /metadata.*IPv4-compatible/],
  ['64:ff9b::a9fe:a9fe', /metadata.*as 169\.254\.169\.254 inside RFC 6052/],
  ['64:ff9b::100.100.100.200', /metadata.*Alibaba/],
  ['64:ff9b:1:a9fe:a9:fe00::', /metadata.*as 169\.254\.169\.254 inside RFC 8215/],
  ['2002:a9fe:a9fe::1', /metadata.*as 169\.254\.169\.254 inside RFC 3056/],
  ['2002:a83f:8110::', /metadata.*Azure/],
  // Teredo: 169.254.169.254 inverted is 86.1.86.1 = 5601:5601.
  ['2001:0:4136:e378:8000:63bf:5601:5601', /metadata.*as 169\.254\.169\.254 inside RFC 4380/],
]

/** Refused for URLs from certificates and config files, even with allow-private-network. */
const SPECIAL = [
  '192.0.0.192',
  '192.0.0.8',
  '192.0.2.1',
  '192.88.99.1',
  '198.18.0.1',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '240.0.0.1',
  '255.255.255.255',
  '100::1',
  '2001:db8::1',
  '2001:2::1',
  '3fff::1',
  '5f00::1',
  'ff02::1',
  // Special-purpose IPv4 inside IPv6 forms.
  '::ffff:192.0.0.192',
  '64:ff9b::c000:c0',
  '2002:c000:2ff::',
]

/** Loopback and private: for untrusted input only with allow-private-network. */
const PRIVATE = [
  '127.0.0.1',
  '0.0.0.0',
  '10.1.2.3',
  '172.16.0.1',
  '172.31.255.255',
  '192.168.1.1',
  '100.64.0.1',
  '100.127.255.254',
  '::1',
  '::',
  'fd12::1',
  'fc00::1',
  'fec0::1',
  'feff::1',
  '64:ff9b:1::1',
  '::ffff:10.0.0.1',
  '::127.0.0.1',
  '64:ff9b::7f00:1',
  '64:ff9b::10.0.0.1',
  '2002:c0a8:0101::1',
]

const PUBLIC = [
  '8.8.8.8',
  '172.32.0.1',
  '100.128.0.1',
  '192.0.1.1',
  '168.63.129.17',
  '2606:4700::1111',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
]

describe('address policy', () => {
  test.each(NEVER)('%s is refused whoever names it, with allow-private-network too', (address, why) => {
    expect(addressRefusal(address, 'untrusted', true)).toMatch(why)
    expect(addressRefusal(address, 'untrusted', false)).toMatch(why)
    expect(addressRefusal(address, 'user', true)).toMatch(why)
  })

  test.each(SPECIAL)(
    'special-purpose %s is refused for untrusted input, allow-private-network or not',
    (address) => {
      expect(addressRefusal(address, 'untrusted', true)).toMatch(/special-purpose address \(RFC \d+/)
      expect(addressRefusal(address, 'untrusted', false)).toMatch(/special-purpose/)
      expect(addressRefusal(address, 'user', false)).toBeUndefined()
    },
  )

  test.each(PRIVATE)('private %s needs allow-private-network for untrusted input', (address) => {
    expect(addressRefusal(address, 'untrusted', false)).toMatch(
      /is a loopback or private address \(RFC \d+.*\); pass --allow-private-network to reach it$/,
    )
    expect(addressRefusal(address, 'untrusted', true)).toBeUndefined()
    expect(addressRefusal(address, 'user', false)).toBeUndefined()
  })

  test.each(PUBLIC)('public %s is allowed', (address) => {
    expect(addressRefusal(address, 'untrusted', false)).toBeUndefined()
  })

  test('metadata host names are refused before DNS, whoever names them', () => {
    expect(hostnameRefusal('metadata.google.internal')).toMatch(/metadata/)
    expect(hostnameRefusal('METADATA.google.internal.')).toMatch(/metadata/)
    expect(hostnameRefusal('ocsp.example.com')).toBeUndefined()
  })

  test('not an address', () => {
    expect(addressRefusal('example.com', 'user', true)).toBe('example.com is not an IP address')
  })
})
