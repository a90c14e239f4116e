import type { X509Certificate } from '@peculiar/x509'
import type { SourcePosition } from './types.js'

/** Public key facts the strength rules need. */
export interface KeyInfo {
  /** 'RSA', 'EC', 'Ed25519', 'Ed448', 'DSA' or the algorithm OID when unrecognised. */
  type: string
  /** Modulus size for RSA/DSA, field size for EC (256 for P-256), 0 when unknown. */
  bits: number
  /** Named curve for EC keys ('P-256', 'P-384', 'P-521', or the OID). */
  curve?: string
  /** RSA public exponent, when the key could be read. */
  exponent?: bigint
  /** RSA modulus, when the key could be read (weak-key's ROCA fingerprint test reads it). */
  modulus?: bigint
}

export interface SignatureAlgorithmInfo {
  oid: string
  /** Readable name, e.g. 'sha256WithRSAEncryption', 'ecdsa-with-SHA256', 'Ed25519'. */
  name: string
  /** Digest of the signature, e.g. 'SHA-1', 'SHA-256', 'MD5'; undefined for Ed25519/Ed448. */
  hash?: string
}

/**
 * One certificate, parsed once. Rules and chain building read this model and
 * never touch ASN.1; `x509` is built on first use only (by code that needs
 * @peculiar/x509's objects, e.g. OCSP responder key hashes).
 */
export interface Cert {
  der: Uint8Array
  x509: X509Certificate
  source: SourcePosition
  /** SHA-256 over the DER, lower-case hex. */
  sha256: string
  /** DER of subjectPublicKeyInfo: a CA is its name and this key (RFC 5280 §6.1.1 (d)). */
  spki: Uint8Array
  version: number
  /** Serial number as lower-case hex, as encoded (no sign byte stripping beyond DER). */
  serial: string
  /** Display forms (RFC 4514 style). */
  subject: string
  issuer: string
  /** DER of the subject Name as encoded (what OCSP CertIDs hash, RFC 6960 §4.1.1). */
  subjectName: Uint8Array
  /**
   * Names for comparison (name-match.ts: RFC 5280 §7.1 with RFC 4518
   * preparation): compare names only through these keys, never as bytes.
   */
  subjectKey: string
  issuerKey: string
  notBefore: Date
  notAfter: Date
  /** subjectAltName; undefined when the extension is absent. */
  san?: { dns: string[]; ip: string[]; email: string[]; uri: string[]; critical: boolean }
  ocspUrls: string[]
  caIssuersUrls: string[]
  crlUrls: string[]
  /** KeyUsage bits as KEY_USAGE flags (digitalSignature=1 … keyCertSign=32, cRLSign=64). */
  keyUsage?: { flags: number; critical: boolean }
  extKeyUsage?: { oids: string[]; critical: boolean }
  basicConstraints?: { ca: boolean; pathLength?: number; critical: boolean }
  subjectKeyId?: string
  authorityKeyId?: string
  /** TLS Feature extension lists status_request (RFC 7633). */
  mustStaple: boolean
  /** id-pkix-ocsp-nocheck present (RFC 6960 §4.2.2.2.1). */
  ocspNoCheck: boolean
  /** nameConstraints, when present (RFC 5280 §4.2.1.10). */
  nameConstraints?: NameConstraints
  key: KeyInfo
  signatureAlgorithm: SignatureAlgorithmInfo
  /** Subject and issuer names are equal (a root or a self-issued CA). */
  selfIssued: boolean
  extensions: { oid: string; critical: boolean }[]
}

export interface NameConstraints {
  critical: boolean
  permitted: GeneralNameConstraint[]
  excluded: GeneralNameConstraint[]
}

export interface GeneralNameConstraint {
  type: 'dns' | 'ip' | 'email' | 'uri' | 'dn' | 'other'
  /** dns/email/uri: the constraint string; ip: 'addr/prefix'; dn: the name key (name-match.ts). */
  value: string
}

export const OID = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  anyExtendedKeyUsage: '2.5.29.37.0',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
} as const

/**
 * keyUsage bits (RFC 5280 §4.2.1.3) as model flags: bit i of the BIT STRING
 * is 2^i, the numbering @peculiar/x509's KeyUsageFlags also uses.
 */
export const KEY_USAGE = {
  digitalSignature: 1,
  nonRepudiation: 2,
  keyEncipherment: 4,
  dataEncipherment: 8,
  keyAgreement: 16,
  keyCertSign: 32,
  cRLSign: 64,
  encipherOnly: 128,
  decipherOnly: 256,
} as const
