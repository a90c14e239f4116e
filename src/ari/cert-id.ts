// The ARI certificate identifier (RFC 9773 §4.1): the base64url encoding
// (RFC 4648 §5, no padding) of the keyIdentifier of the certificate's
// Authority Key Identifier extension, a ".", and the base64url encoding of
// the DER content octets of its serial number (leading zero octet included,
// tag and length not). The RFC's example: keyIdentifier 69:88:5B:6B:…:C8:D4
// and serial 00:87:65:43:21 give "aYhba4dGQEHhs3uEe6CuLN4ByNQ.AIdlQyE".
import type { Cert } from '../model/cert.js'

/** The certID of `cert`, or undefined when it has no AKI keyIdentifier (RFC 9773 §4.1 needs one). */
export function ariCertId(cert: Pick<Cert, 'authorityKeyId' | 'serial'>): string | undefined {
  if (!cert.authorityKeyId) return undefined
  const encode = (hex: string) => Buffer.from(hex, 'hex').toString('base64url')
  // Cert.serial leaves out the sign octet DER puts before a high bit; the certID keeps it.
  const content = /^[89a-f]/.test(cert.serial) ? `00${cert.serial}` : cert.serial
  return `${encode(cert.authorityKeyId)}.${encode(content)}`
}
