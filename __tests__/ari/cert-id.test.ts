import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { ariCertId } from '../../src/ari/cert-id.js'
import { ext, issue, tempDir, writePem } from '../helpers/pki.js'

test('the example of RFC 9773 §4.1', () => {
  expect(
    ariCertId({ authorityKeyId: '69885b6b87464041e1b37b847ba0ae2cde01c8d4', serial: '0087654321' }),
  ).toBe('aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE')
})

test('made from the AKI keyIdentifier and the serial’s DER content octets, as openssl reads them', async () => {
  const ca = await issue({ cn: 'ARI CA', extensions: [ext.ca(), ext.caKeyUsage()] })
  const dir = tempDir('certgate-ari-id-')
  try {
    // 0x87… needs a leading zero octet to stay positive; 0x12… does not.
    for (const serial of ['87654321aabbccdd', '12345678']) {
      const leaf = await issue({ cn: 'ari.test', issuer: ca, serial })
      const file = writePem(dir, `${serial}.pem`, leaf)
      const text = execFileSync(
        'openssl',
        ['x509', '-in', file, '-noout', '-ext', 'authorityKeyIdentifier'],
        {
          encoding: 'utf8',
        },
      )
      const keyId = /([0-9A-F]{2}(?::[0-9A-F]{2}){19})/.exec(text)![1].replace(/:/g, '')
      // The serial's INTEGER as openssl parses it: its content length says whether a sign octet leads.
      const parsed = execFileSync('openssl', ['asn1parse', '-in', file], { encoding: 'utf8' })
      const [, length, hex] = /d=2 +hl=\d+ l= *(\d+) prim: INTEGER +:([0-9A-F]+)/.exec(parsed)!
      const content = '00'.repeat(Number(length) - hex.length / 2) + hex
      expect(ariCertId(leaf.model)).toBe(
        `${Buffer.from(keyId, 'hex').toString('base64url')}.${Buffer.from(content, 'hex').toString('base64url')}`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('no certID without an Authority Key Identifier', async () => {
  const leaf = await issue({ cn: 'no-aki.test', noKeyIds: true })
  expect(ariCertId(leaf.model)).toBeUndefined()
})
