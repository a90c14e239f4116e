// A misbehaving OCSP responder of our own: a Node http server on 127.0.0.1
// that answers each request with a pkijs-built response broken in the way
// the URL path names (http://127.0.0.1:PORT/<misbehaviour>). It reads the
// real request, so everything not deliberately broken is right.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import type { Issued } from './pki.js'

export type Misbehaviour =
  | 'good'
  | 'forged-signer'
  | 'no-ocsp-eku'
  | 'foreign-signer'
  | 'wrong-serial'
  | 'wrong-nonce'
  | 'future-this-update'
  | 'past-next-update'
  | 'garbage'
  | 'huge'
  | 'try-later'
  | 'stall'
  | 'reset'
  | 'redirect-metadata'
  | 'unauthorised-twin-first'

/** Who signs: the issuer, or a delegated responder certificate embedded in the response. */
export interface ResponderKeys {
  /** The CA the leaves were issued by. */
  issuer: Issued
  /** A key with no relation to the CA, presented under the issuer's name. */
  unrelated: Issued
  /** Issued by the CA but without id-kp-OCSPSigning. */
  delegatedWithoutEku: Issued
  /** Has id-kp-OCSPSigning but was issued by another CA. */
  foreignDelegate: Issued
  /**
   * An authorised delegated responder, and a certificate of the same name and
   * key that is not authorised (no id-kp-OCSPSigning), sent first in `certs`.
   */
  delegateWithTwin?: { delegate: Issued; unauthorisedTwin: Issued }
}

export interface ForgedResponder {
  url(misbehaviour: Misbehaviour): string
  /** Requests seen per misbehaviour, to show retries happened. */
  hits: Map<string, number>
  close(): Promise<void>
}

const HOUR = 3_600_000
const OCSP_NONCE = '1.3.6.1.5.5.7.48.1.2'
const wholeSeconds = (ms: number): Date => new Date(Math.floor(ms / 1000) * 1000)

export async function startForgedResponder(keys: ResponderKeys): Promise<ForgedResponder> {
  const hits = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const [, misbehaviour, encoded] = /^\/([a-z-]+)\/?(.*)$/.exec(req.url ?? '') ?? []
    hits.set(misbehaviour, (hits.get(misbehaviour) ?? 0) + 1)
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = encoded ? Buffer.from(decodeURIComponent(encoded), 'base64') : Buffer.concat(chunks)
      respond(misbehaviour as Misbehaviour, new Uint8Array(body), keys, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: (misbehaviour) => `http://127.0.0.1:${port}/${misbehaviour}`,
    hits,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}

async function respond(
  misbehaviour: Misbehaviour,
  requestDer: Uint8Array,
  keys: ResponderKeys,
  res: http.ServerResponse,
): Promise<void> {
  const send = (der: ArrayBuffer | Uint8Array): void => {
    res.writeHead(200, { 'Content-Type': 'application/ocsp-response' }).end(Buffer.from(der as Uint8Array))
  }
  switch (misbehaviour) {
    case 'garbage':
      return send(new TextEncoder().encode('<html>not an OCSP response</html>'))
    case 'huge':
      return send(new Uint8Array(2 * 1024 * 1024))
    case 'try-later':
      return send(
        new pkijs.OCSPResponse({ responseStatus: new asn1js.Enumerated({ value: 3 }) })
          .toSchema()
          .toBER(false),
      )
    case 'stall':
      // Holds the connection for 10 s without a byte; the client's timeout must end it first.
      setTimeout(() => res.destroy(), 10_000).unref()
      return
    case 'reset':
      res.writeHead(200, { 'Content-Type': 'application/ocsp-response', 'Content-Length': '2000' })
      res.write(Buffer.alloc(200, 0x30), () => res.socket?.destroy())
      return
    case 'redirect-metadata':
      res.writeHead(302, { Location: 'http://169.254.169.254/latest/meta-data/' }).end()
      return
    default:
      return send(await signedResponse(misbehaviour, requestDer, keys))
  }
}

async function signedResponse(
  misbehaviour: Misbehaviour,
  requestDer: Uint8Array,
  keys: ResponderKeys,
): Promise<ArrayBuffer> {
  const request = pkijs.OCSPRequest.fromBER(requestDer)
  let certID = request.tbsRequest.requestList[0].reqCert
  if (misbehaviour === 'wrong-serial') {
    certID = new pkijs.CertID({
      hashAlgorithm: certID.hashAlgorithm,
      issuerNameHash: certID.issuerNameHash,
      issuerKeyHash: certID.issuerKeyHash,
      serialNumber: new asn1js.Integer({ value: 0x123456 }),
    })
  }
  const now = Date.now()
  let thisUpdate = wholeSeconds(now - 60_000)
  let nextUpdate = wholeSeconds(now + 24 * HOUR)
  if (misbehaviour === 'future-this-update') thisUpdate = wholeSeconds(now + HOUR)
  if (misbehaviour === 'past-next-update') {
    thisUpdate = wholeSeconds(now - 48 * HOUR)
    nextUpdate = wholeSeconds(now - 24 * HOUR)
  }
  const signer = {
    'forged-signer': keys.unrelated,
    'no-ocsp-eku': keys.delegatedWithoutEku,
    'foreign-signer': keys.foreignDelegate,
    'unauthorised-twin-first': keys.delegateWithTwin?.delegate,
  }[misbehaviour as string] as Issued | undefined
  const basic = new pkijs.BasicOCSPResponse()
  const subject = pkijs.Certificate.fromBER((signer ?? keys.issuer).der).subject
  // The forged signer claims to be the issuer: only the signature can tell.
  basic.tbsResponseData.responderID =
    misbehaviour === 'forged-signer' ? pkijs.Certificate.fromBER(keys.issuer.der).subject : subject
  basic.tbsResponseData.producedAt = misbehaviour === 'future-this-update' ? thisUpdate : wholeSeconds(now)
  // The twin case answers revoked, so a verdict that believes the response is told from one that does not.
  const certStatus =
    misbehaviour === 'unauthorised-twin-first'
      ? new asn1js.Constructed({
          idBlock: { tagClass: 3, tagNumber: 1 },
          value: [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(now - 2 * HOUR) })],
        })
      : new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: 0 } })
  basic.tbsResponseData.responses.push(
    new pkijs.SingleResponse({ certID, certStatus, thisUpdate, nextUpdate }),
  )
  const nonce = request.tbsRequest.requestExtensions?.find((e) => e.extnID === OCSP_NONCE)
  if (nonce) {
    const value =
      misbehaviour === 'wrong-nonce'
        ? new asn1js.OctetString({ valueHex: new Uint8Array(32).fill(7) }).toBER(false)
        : nonce.extnValue.valueBlock.valueHexView.slice().buffer
    basic.tbsResponseData.responseExtensions = [new pkijs.Extension({ extnID: OCSP_NONCE, extnValue: value })]
  }
  if (signer && misbehaviour !== 'forged-signer') basic.certs = [pkijs.Certificate.fromBER(signer.der)]
  if (misbehaviour === 'unauthorised-twin-first' && keys.delegateWithTwin)
    basic.certs = [keys.delegateWithTwin.unauthorisedTwin, keys.delegateWithTwin.delegate].map((c) =>
      pkijs.Certificate.fromBER(c.der),
    )
  await basic.sign((signer ?? keys.issuer).keys.privateKey as never, 'SHA-256')
  return new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: 0 }),
    responseBytes: new pkijs.ResponseBytes({
      responseType: '1.3.6.1.5.5.7.48.1.1',
      response: new asn1js.OctetString({ valueHex: basic.toSchema().toBER(false) }),
    }),
  })
    .toSchema()
    .toBER(false)
}
