import { describe, expect, test } from '@jest/globals'
import { addressRefusal, hostnameRefusal } from '../../src/net/address-policy.js'

describe('address policy for untrusted URLs', () => {
  test.each(['169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254'])(
    'metadata address %s is refused even with allowPrivateNetwork',
    (address) => {
      expect(addressRefusal(address, 'untrusted', true)).toMatch(/metadata/)
    },
  )

  test.each(['169.254.10.1', 'fe80::1'])(
    'link-local %s is refused even with allowPrivateNetwork',
    (address) => {
      expect(addressRefusal(address, 'untrusted', true)).toMatch(/link-local/)
    },
  )

  test.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '100.64.0.1',
    '::1',
    'fd12::1',
  ])('private %s needs allowPrivateNetwork', (address) => {
    expect(addressRefusal(address, 'untrusted', false)).toMatch(/--allow-private-network/)
    expect(addressRefusal(address, 'untrusted', true)).toBeUndefined()
  })

  test.each(['8.8.8.8', '172.32.0.1', '100.128.0.1', '2606:4700::1111'])(
    'public %s is allowed',
    (address) => {
      expect(addressRefusal(address, 'untrusted', false)).toBeUndefined()
    },
  )

  test('metadata host names are refused before DNS', () => {
    expect(hostnameRefusal('metadata.google.internal', 'untrusted')).toMatch(/metadata/)
    expect(hostnameRefusal('METADATA.google.internal.', 'untrusted')).toMatch(/metadata/)
    expect(hostnameRefusal('ocsp.example.com', 'untrusted')).toBeUndefined()
  })

  test("URLs the user names are the user's choice", () => {
    expect(addressRefusal('169.254.169.254', 'user', false)).toBeUndefined()
    expect(addressRefusal('127.0.0.1', 'user', false)).toBeUndefined()
    expect(hostnameRefusal('metadata.google.internal', 'user')).toBeUndefined()
  })
})
