// Names for the algorithm and curve OIDs a certificate carries, shared by the
// DER reader and the @peculiar/x509 reader so both fill the model alike.
import type { KeyInfo, SignatureAlgorithmInfo } from './cert.js'

const SIGNATURE_ALGORITHMS: Record<string, { name: string; hash?: string }> = {
  '1.2.840.113549.1.1.2': { name: 'md2WithRSAEncryption', hash: 'MD2' },
  '1.2.840.113549.1.1.4': { name: 'md5WithRSAEncryption', hash: 'MD5' },
  '1.2.840.113549.1.1.5': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.3.14.3.2.29': { name: 'sha1WithRSAEncryption', hash: 'SHA-1' },
  '1.2.840.113549.1.1.14': { name: 'sha224WithRSAEncryption', hash: 'SHA-224' },
  '1.2.840.113549.1.1.11': { name: 'sha256WithRSAEncryption', hash: 'SHA-256' },
  '1.2.840.113549.1.1.12': { name: 'sha384WithRSAEncryption', hash: 'SHA-384' },
  '1.2.840.113549.1.1.13': { name: 'sha512WithRSAEncryption', hash: 'SHA-512' },
  '1.2.840.113549.1.1.10': { name: 'rsassa-pss' },
  '1.2.840.10045.4.1': { name: 'ecdsa-with-SHA1', hash: 'SHA-1' },
  '1.2.840.10045.4.3.1': { name: 'ecdsa-with-SHA224', hash: 'SHA-224' },
  '1.2.840.10045.4.3.2': { name: 'ecdsa-with-SHA256', hash: 'SHA-256' },
  '1.2.840.10045.4.3.3': { name: 'ecdsa-with-SHA384', hash: 'SHA-384' },
  '1.2.840.10045.4.3.4': { name: 'ecdsa-with-SHA512', hash: 'SHA-512' },
  '1.2.840.10040.4.3': { name: 'dsa-with-SHA1', hash: 'SHA-1' },
  '2.16.840.1.101.3.4.3.2': { name: 'dsa-with-SHA256', hash: 'SHA-256' },
  '1.3.101.112': { name: 'Ed25519' },
  '1.3.101.113': { name: 'Ed448' },
}

/** subjectPublicKeyInfo algorithm OIDs (RFC 3279, RFC 4055, RFC 5480, RFC 8410). */
export const KEY_TYPES: Record<string, string> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.2.840.10040.4.1': 'DSA',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
}

const CURVE_BITS: Record<string, number> = { 'P-256': 256, 'P-384': 384, 'P-521': 521, 'K-256': 256 }
const CURVE_OIDS: Record<string, string> = {
  '1.2.840.10045.3.1.7': 'P-256',
  '1.3.132.0.34': 'P-384',
  '1.3.132.0.35': 'P-521',
  '1.3.132.0.10': 'K-256',
  '1.2.840.10045.3.1.1': 'P-192',
  '1.3.132.0.33': 'P-224',
}

export function signatureAlgorithmInfo(oid: string): SignatureAlgorithmInfo {
  const known = SIGNATURE_ALGORITHMS[oid]
  return { oid, name: known?.name ?? oid, hash: known?.hash }
}

/** An EC key named by its namedCurve OID (RFC 5480 §2.1.1); an unnamed curve is reported as size 0. */
export function ecKeyInfo(curveOid: string | undefined): KeyInfo {
  const curve = curveOid === undefined ? undefined : (CURVE_OIDS[curveOid] ?? curveOid)
  return { type: 'EC', bits: curve ? (CURVE_BITS[curve] ?? 0) : 0, curve }
}

/** EdDSA keys have a fixed size (RFC 8410). */
export const EDDSA_KEY_BITS: Record<string, number> = { Ed25519: 256, Ed448: 456 }

/** RFC 7633: the TLS Feature extension is a SEQUENCE OF INTEGER; 5 is status_request. */
export function listsStatusRequest(bytes: Uint8Array): boolean {
  // SEQUENCE { INTEGER ... } with short lengths: walk the INTEGERs directly.
  if (bytes[0] !== 0x30) return false
  let i = bytes[1] & 0x80 ? 2 + (bytes[1] & 0x7f) : 2
  while (i + 2 <= bytes.length) {
    const len = bytes[i + 1]
    if (bytes[i] === 0x02 && len === 1 && bytes[i + 2] === 5) return true
    i += 2 + len
  }
  return false
}
