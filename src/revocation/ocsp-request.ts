// Building OCSP requests (RFC 6960 §4.1) and choosing how to send them
// (RFC 5019 §5 / RFC 6960 Appendix A.1).
import { webcrypto } from 'node:crypto'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { Cert } from '../model/cert.js'
import type { CertIdHash, OcspMethod } from './types.js'

/** id-pkix-ocsp-nonce (RFC 6960 §4.4.1, RFC 8954). */
export const OCSP_NONCE_OID = '1.3.6.1.5.5.7.48.1.2'

/** The request as sent, with what the response must echo. */
export interface OcspRequest {
  der: Uint8Array
  hash: CertIdHash
  /** The nonce value sent (the inner OCTET STRING contents), if any. */
  nonce?: Uint8Array
}

const PKIJS_HASH: Record<CertIdHash, string> = { sha1: 'SHA-1', sha256: 'SHA-256' }

/**
 * Builds a one-certificate request for `cert` issued by `issuer`. The CertID
 * hashes the issuer's name and key with `hash` (SHA-1 by default, as RFC 5019
 * responders expect; SHA-256 per RFC 9919). The nonce, when asked for, is 32
 * random bytes inside an OCTET STRING: RFC 8954 §2.1 sets 1..32 bytes and the
 * wrapped form is what openssl and current responders echo.
 */
export async function buildOcspRequest(
  cert: Cert,
  issuer: Cert,
  hash: CertIdHash,
  withNonce: boolean,
): Promise<OcspRequest> {
  const request = new pkijs.OCSPRequest()
  await request.createForCertificate(pkijs.Certificate.fromBER(cert.der), {
    hashAlgorithm: PKIJS_HASH[hash],
    issuerCertificate: pkijs.Certificate.fromBER(issuer.der),
  })
  let nonce: Uint8Array | undefined
  if (withNonce) {
    nonce = webcrypto.getRandomValues(new Uint8Array(32))
    request.tbsRequest.requestExtensions = [
      new pkijs.Extension({
        extnID: OCSP_NONCE_OID,
        critical: false,
        extnValue: new asn1js.OctetString({ valueHex: nonce }).toBER(false),
      }),
    ]
  }
  return { der: new Uint8Array(request.toSchema(true).toBER(false)), hash, nonce }
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
