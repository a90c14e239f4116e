// Building OCSP requests (RFC 6960 §4.1) and choosing how to send them
// (RFC 5019 §5 / RFC 6960 Appendix A.1). The request is a few fixed DER
// elements around the CertID, so it is encoded directly from the Cert
// model's bytes: a thousand leaves of one issuer hash that issuer's name and
// key once, not a thousand times through an ASN.1 object tree.
import { createHash, randomFillSync } from 'node:crypto'
import type { Cert } from '../../model/cert.js'
import { childrenOf, contentOf, expectTag, readElement, TAG } from '../../model/der-reader.js'
import type { CertIdHash, OcspMethod } from '../types.js'

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1, RFC 8954). */
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2'

/** The request as sent, with what the response must echo. */
export interface OcspRequest {
  der: Uint8Array
  hash: CertIdHash
  /** The nonce value sent (the inner OCTET STRING contents), if any. */
  nonce?: Uint8Array
}

/** A CertID's issuer half (RFC 6960 §4.1.1): hashes of the issuer's DN and of its key's BIT STRING contents. */
export interface IssuerHashes {
  nameHash: Buffer
  keyHash: Buffer
}

/** DER of the CertID hash AlgorithmIdentifiers, parameters NULL as RFC 5019 §2.1.1 and openssl send them. */
const HASH_ALGORITHM_DER: Record<CertIdHash, Buffer> = {
  sha1: Buffer.from('300906052b0e03021a0500', 'hex'),
  sha256: Buffer.from('300d06096086480165030402010500', 'hex'),
}
/** DER of the nonce extension's OID (1.3.6.1.5.5.7.48.1.2). */
const NONCE_OID_DER = Buffer.from('06092b0601050507300102', 'hex')

/** One DER TLV with a definite length in its shortest form (X.690 §10.1). */
function tlv(tag: number, ...contents: Uint8Array[]): Buffer {
  const length = contents.reduce((sum, c) => sum + c.byteLength, 0)
  const lengthOctets: number[] = []
  for (let rest = length; rest > 0x7f; rest = Math.floor(rest / 256)) lengthOctets.unshift(rest % 256)
  const header = length > 0x7f ? [tag, 0x80 | lengthOctets.length, ...lengthOctets] : [tag, length]
  return Buffer.concat([Buffer.from(header), ...contents])
}

/** RFC 8954 §2.1 allows 1..32 octets; the most makes a guessed nonce least likely. */
const NONCE_BYTES = 32
/** Nonces drawn from the system CSPRNG in one call: one call per request cost more than the request's encoding. */
const NONCES_PER_DRAW = 256
let noncePool: Buffer | undefined
let nonceOffset = 0

/**
 * A fresh nonce: the next unused 32 bytes of a buffer filled by the system
 * CSPRNG. Each slice is handed out once, and a used-up buffer is replaced,
 * never refilled, so a nonce already sent (and kept to compare with the echo)
 * never changes and no two requests share one.
 */
function freshNonce(): Uint8Array {
  if (!noncePool || nonceOffset === noncePool.length) {
    noncePool = randomFillSync(Buffer.allocUnsafeSlow(NONCE_BYTES * NONCES_PER_DRAW))
    nonceOffset = 0
  }
  return noncePool.subarray(nonceOffset, (nonceOffset += NONCE_BYTES))
}

const keyBitsMemo = new WeakMap<Cert, Uint8Array>()
const hashesMemo = new WeakMap<Cert, Map<string, IssuerHashes>>()

/**
 * The subjectPublicKey BIT STRING contents of `cert` (without the unused-bits
 * octet): what CertID key hashes and byKey ResponderIDs hash (RFC 6960
 * §4.1.1, §4.2.2.3). Read once per certificate.
 */
export function subjectPublicKeyBits(cert: Cert): Uint8Array {
  let bits = keyBitsMemo.get(cert)
  if (!bits) {
    const spki = expectTag(readElement(cert.spki, 0, cert.spki.length), TAG.sequence, 'subjectPublicKeyInfo')
    const key = expectTag(childrenOf(cert.spki, spki)[1], TAG.bitString, 'subjectPublicKey')
    bits = contentOf(cert.spki, key).subarray(1)
    keyBitsMemo.set(cert, bits)
  }
  return bits
}

/**
 * The issuer name and key hashes with `digest` (a node:crypto name), computed
 * once per issuer and digest: every leaf of one CA shares them.
 */
export function issuerHashes(issuer: Cert, digest: string): IssuerHashes {
  let byDigest = hashesMemo.get(issuer)
  if (!byDigest) hashesMemo.set(issuer, (byDigest = new Map()))
  let hashes = byDigest.get(digest)
  if (!hashes) {
    hashes = {
      nameHash: createHash(digest).update(issuer.subjectName).digest(),
      keyHash: createHash(digest).update(subjectPublicKeyBits(issuer)).digest(),
    }
    byDigest.set(digest, hashes)
  }
  return hashes
}

/**
 * The serialNumber INTEGER content octets exactly as the certificate encodes
 * them: the CertID must carry the issuer's serial (RFC 6960 §4.1.1), sign
 * byte and all, or the responder looks up another number.
 */
function serialNumberContent(cert: Cert): Uint8Array {
  try {
    const der = cert.der
    const certificate = readElement(der, 0, der.length)
    const tbs = expectTag(
      readElement(der, certificate.start, certificate.end),
      TAG.sequence,
      'tbsCertificate',
    )
    let field = readElement(der, tbs.start, tbs.end)
    if (field.tag === 0xa0) field = readElement(der, field.end, tbs.end)
    return contentOf(der, expectTag(field, TAG.integer, 'serialNumber'))
  } catch {
    // A shape the DER reader declines: the model's serial, with the sign octet DER would add.
    const hex = cert.serial.length % 2 ? `0${cert.serial}` : cert.serial
    return Buffer.from(/^[89a-f]/.test(hex) ? `00${hex}` : hex, 'hex')
  }
}

/** The CertID (RFC 6960 §4.1.1) naming `cert` issued by `issuer`, hashed with `hash`, as DER. */
export function certIdDer(cert: Cert, issuer: Cert, hash: CertIdHash): Buffer {
  const { nameHash, keyHash } = issuerHashes(issuer, hash)
  return tlv(
    TAG.sequence,
    HASH_ALGORITHM_DER[hash],
    tlv(TAG.octetString, nameHash),
    tlv(TAG.octetString, keyHash),
    tlv(TAG.integer, serialNumberContent(cert)),
  )
}

/**
 * Builds a one-certificate request for `cert` issued by `issuer`. The CertID
 * hashes the issuer's name and key with `hash` (SHA-1 by default, as RFC 5019
 * responders expect; SHA-256 per RFC 9919). The nonce, when asked for, is 32
 * random bytes inside an OCTET STRING: RFC 8954 §2.1 sets 1..32 bytes and the
 * wrapped form is what openssl and current responders echo.
 */
export function buildOcspRequest(
  cert: Cert,
  issuer: Cert,
  hash: CertIdHash,
  withNonce: boolean,
): OcspRequest {
  // OCSPRequest ::= SEQUENCE { tbsRequest SEQUENCE { requestList SEQUENCE OF Request, [2] requestExtensions } }
  const requestList = tlv(TAG.sequence, tlv(TAG.sequence, certIdDer(cert, issuer, hash)))
  let nonce: Uint8Array | undefined
  let extensions: Buffer[] = []
  if (withNonce) {
    nonce = freshNonce()
    const extension = tlv(TAG.sequence, NONCE_OID_DER, tlv(TAG.octetString, tlv(TAG.octetString, nonce)))
    extensions = [tlv(0xa2, tlv(TAG.sequence, extension))]
  }
  const der = tlv(TAG.sequence, tlv(TAG.sequence, requestList, ...extensions))
  return { der: new Uint8Array(der.buffer, der.byteOffset, der.byteLength), hash, nonce }
}

/** RFC 5019 §5: GET only when the base64 request fits in 255 bytes, so caches and proxies keep it whole. */
const GET_LIMIT = 255

/**
 * The GET URL for `request` at `responderUrl` when the method allows it,
 * else undefined (send by POST). `get` forces GET whatever the size.
 */
export function ocspGetUrl(
  responderUrl: string,
  request: OcspRequest,
  method: OcspMethod,
): string | undefined {
  if (method === 'post') return undefined
  const encoded = Buffer.from(request.der).toString('base64')
  if (method === 'auto' && encoded.length > GET_LIMIT) return undefined
  return `${responderUrl.replace(/\/+$/, '')}/${encodeURIComponent(encoded)}`
}
