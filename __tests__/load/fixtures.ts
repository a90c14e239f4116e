// Revocation material for loader tests, generated at test time: an OCSP
// response signed by the issuer (pkijs), a CRL (@peculiar/x509) and PKCS#7
// bundles written by `openssl crl2pkcs7`.
import { execFileSync } from 'node:child_process'
import { webcrypto } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import * as x509 from '../../src/model/x509.js'
import type { Issued } from '../helpers/pki.js'

const OCSP_BASIC = '1.3.6.1.5.5.7.48.1.1'

/** A successful OCSP response (RFC 6960 §4.2.1) saying `good` for `leaf`, signed by `issuer`. */
export async function ocspResponseDer(leaf: Issued, issuer: Issued): Promise<Uint8Array> {
  const request = new pkijs.OCSPRequest()
  await request.createForCertificate(pkijs.Certificate.fromBER(leaf.der), {
    hashAlgorithm: 'SHA-256',
    issuerCertificate: pkijs.Certificate.fromBER(issuer.der),
  })
  const now = new Date(Math.floor(Date.now() / 1000) * 1000)
  const basic = new pkijs.BasicOCSPResponse()
  basic.tbsResponseData.responderID = pkijs.Certificate.fromBER(issuer.der).subject
  basic.tbsResponseData.producedAt = now
  basic.tbsResponseData.responses.push(
    new pkijs.SingleResponse({
      certID: request.tbsRequest.requestList[0].reqCert,
      certStatus: new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } }),
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 86_400_000),
    }),
  )
  await basic.sign(issuer.keys.privateKey as Parameters<pkijs.BasicOCSPResponse['sign']>[0], 'SHA-256')
  const response = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: OCSP_BASIC,
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  })
  return new Uint8Array(response.toSchema().toBER(false))
}

/** An empty CRL (RFC 5280 §5) issued by `issuer`. */
export async function crlDer(issuer: Issued): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: issuer.cert.subject,
    thisUpdate: new Date(),
    nextUpdate: new Date(Date.now() + 7 * 86_400_000),
    entries: [],
    signingKey: issuer.keys.privateKey,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as webcrypto.EcdsaParams,
  })
  return new Uint8Array(crl.rawData)
}

/** A certs-only PKCS#7 bundle of `certs`, as `openssl crl2pkcs7 -nocrl` writes it. */
export function pkcs7(dir: string, certs: Issued[], outform: 'PEM' | 'DER'): Buffer {
  if (certs.length === 0)
    return execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-outform', outform], { input: '' })
  const input = join(dir, `p7-input-${Math.random().toString(36).slice(2)}.pem`)
  writeFileSync(input, certs.map((c) => c.pem).join(''))
  return execFileSync('openssl', ['crl2pkcs7', '-nocrl', '-certfile', input, '-outform', outform])
}

/** PEM armour for DER content under any label. */
export function pem(label: string, der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}
