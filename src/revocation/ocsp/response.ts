// Parsing OCSP responses (RFC 6960 §4.2.1) strictly, by walking their DER:
// trailing bytes, an undefined responseStatus, a missing or non-basic
// responseBytes, a field of the wrong type are parse errors, kept apart from
// the responder's own error statuses. Fields are views on the response's
// bytes, so a thousand answers cost a thousand small walks, not a thousand
// ASN.1 object trees.
import { derEncodingProblem } from '../../load/der.js'
import {
  booleanOf,
  childrenOf,
  contentOf,
  DerReadError,
  encodingOf,
  expectTag,
  oidOf,
  readElement,
  TAG,
  type DerElement,
} from '../../model/der-reader.js'

export const OCSP_BASIC_OID = '1.3.6.1.5.5.7.48.1.1'

/** OCSPResponseStatus (RFC 6960 §4.2.1); 4 is not used. */
export const RESPONSE_STATUS_NAMES: Record<number, OcspResponseStatus> = {
  0: 'successful',
  1: 'malformedRequest',
  2: 'internalError',
  3: 'tryLater',
  5: 'sigRequired',
  6: 'unauthorized',
}
export type OcspResponseStatus =
  'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized'

/** The bytes are not a well-formed OCSP response. */
export class OcspParseError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'OcspParseError'
  }
}

/** Extension (RFC 5280 §4.1): extnValue is the OCTET STRING's contents. */
export interface OcspExtension {
  extnID: string
  critical: boolean
  extnValue: Uint8Array
}

/** CertID (RFC 6960 §4.1.1); serialNumber is the INTEGER's content octets. */
export interface CertId {
  hashAlgorithm: string
  issuerNameHash: Uint8Array
  issuerKeyHash: Uint8Array
  serialNumber: Uint8Array
}

/** SingleResponse (RFC 6960 §4.2.1). */
export interface SingleResponse {
  certID: CertId
  certStatus: 'good' | 'revoked' | 'unknown'
  revocationTime?: Date
  /** revocationReason inside RevokedInfo, as the CRLReason code. */
  revocationReason?: number
  thisUpdate: Date
  nextUpdate?: Date
  singleExtensions?: OcspExtension[]
}

/** ResponderID (RFC 6960 §4.2.1): byName holds the Name's DER, byKey the SHA-1 key hash. */
export type ResponderIdBytes = { type: 'byName'; name: Uint8Array } | { type: 'byKey'; keyHash: Uint8Array }

/** BasicOCSPResponse (RFC 6960 §4.2.1). */
export interface BasicOcspResponse {
  /** The DER of tbsResponseData: the bytes the signature covers. */
  tbsResponseData: Uint8Array
  responderID: ResponderIdBytes
  producedAt: Date
  responses: SingleResponse[]
  responseExtensions?: OcspExtension[]
  signatureAlgorithm: string
  /** The BIT STRING's bits (the unused-bits octet, which must be 0, dropped). */
  signature: Uint8Array
  /** DER of each certificate in `certs`. */
  certs: Uint8Array[]
}

export type ParsedOcspResponse =
  { status: Exclude<OcspResponseStatus, 'successful'> } | { status: 'successful'; basic: BasicOcspResponse }

const ENUMERATED = 0x0a
const CONTEXT = (n: number, constructed = true): number => (constructed ? 0xa0 : 0x80) | n

/**
 * The responseStatus of an OCSPResponse read from its first field alone
 * (RFC 6960 §4.2.1), or undefined when that field is unreadable or not a
 * defined status. Enough to decide a retry (tryLater) without parsing the
 * body twice; the full, strict parse judges it afterwards.
 */
export function ocspResponseStatus(der: Uint8Array): OcspResponseStatus | undefined {
  try {
    const response = readElement(der, 0, der.length)
    const status = readElement(der, response.start, response.end)
    if (response.tag !== TAG.sequence || status.tag !== ENUMERATED || status.end !== status.start + 1)
      return undefined
    return RESPONSE_STATUS_NAMES[der[status.start]]
  } catch {
    return undefined
  }
}

/**
 * Parses an OCSPResponse. Throws OcspParseError for malformed input; a
 * responder error status (tryLater, unauthorized, …) is a successful parse
 * with that status and no basic response. The whole response must be DER
 * (RFC 6960 §4.2.1; the signature covers bytes as sent): the strict walk runs
 * first, so BER forms, trailing data and deep nesting are refused outright.
 */
export function parseOcspResponse(der: Uint8Array): ParsedOcspResponse {
  const encoding = derEncodingProblem(der)
  if (encoding) throw new OcspParseError(`the OCSP response is not DER: ${encoding}`)
  try {
    return readResponse(der)
  } catch (error) {
    if (error instanceof OcspParseError) throw error
    if (error instanceof DerReadError) throw new OcspParseError(`not an OCSP response (${error.message})`)
    throw error
  }
}

function readResponse(der: Uint8Array): ParsedOcspResponse {
  const response = expectTag(readElement(der, 0, der.length), TAG.sequence, 'OCSPResponse')
  const [statusField, bytesField, ...extra] = childrenOf(der, response)
  if (!statusField || extra.length > 0 || (bytesField && bytesField.tag !== CONTEXT(0))) {
    throw new OcspParseError('not an OCSP response (expected responseStatus and optional [0] responseBytes)')
  }
  expectTag(statusField, ENUMERATED, 'responseStatus')
  if (statusField.end - statusField.start !== 1) throw new OcspParseError('responseStatus is not one octet')
  const code = der[statusField.start]
  const status = RESPONSE_STATUS_NAMES[code]
  if (!status) throw new OcspParseError(`responseStatus ${code} is not defined by RFC 6960`)
  if (status !== 'successful') return { status }
  if (!bytesField) throw new OcspParseError('responseStatus is successful but responseBytes is absent')

  const [responseBytes, ...more] = childrenOf(der, bytesField)
  if (!responseBytes || more.length > 0)
    throw new OcspParseError('[0] responseBytes holds more than one element')
  const [type, body, ...rest] = childrenOf(der, expectTag(responseBytes, TAG.sequence, 'ResponseBytes'))
  if (!body || rest.length > 0) throw new OcspParseError('ResponseBytes is not responseType and response')
  const responseType = oidOf(der, type)
  if (responseType !== OCSP_BASIC_OID) {
    throw new OcspParseError(`responseType ${responseType} is not id-pkix-ocsp-basic`)
  }
  const inner = contentOf(der, expectTag(body, TAG.octetString, 'response'))
  try {
    return { status, basic: readBasic(inner) }
  } catch (error) {
    if (error instanceof DerReadError || error instanceof OcspParseError) {
      throw new OcspParseError(`malformed BasicOCSPResponse (${error.message})`)
    }
    throw error
  }
}

function readBasic(der: Uint8Array): BasicOcspResponse {
  const basic = expectTag(readElement(der, 0, der.length), TAG.sequence, 'BasicOCSPResponse')
  if (basic.end !== der.length) {
    throw new OcspParseError(`${der.length - basic.end} trailing bytes after the BasicOCSPResponse`)
  }
  const [tbs, algorithm, signature, certsField, ...extra] = childrenOf(der, basic)
  if (!signature || extra.length > 0 || (certsField && certsField.tag !== CONTEXT(0))) {
    throw new OcspParseError('expected tbsResponseData, signatureAlgorithm, signature and optional [0] certs')
  }
  const signatureBits = contentOf(der, expectTag(signature, TAG.bitString, 'signature'))
  if (signatureBits.length === 0 || signatureBits[0] !== 0) {
    throw new OcspParseError('the signature BIT STRING is empty or has unused bits')
  }
  let certs: Uint8Array[] = []
  if (certsField) {
    const [list, ...more] = childrenOf(der, certsField)
    if (!list || more.length > 0) throw new OcspParseError('[0] certs is not one SEQUENCE')
    certs = childrenOf(der, expectTag(list, TAG.sequence, 'certs')).map((c) =>
      encodingOf(der, expectTag(c, TAG.sequence, 'Certificate')),
    )
  }
  return {
    ...readResponseData(der, expectTag(tbs, TAG.sequence, 'tbsResponseData')),
    tbsResponseData: encodingOf(der, tbs),
    signatureAlgorithm: algorithmOid(der, algorithm),
    signature: signatureBits.subarray(1),
    certs,
  }
}

function readResponseData(
  der: Uint8Array,
  tbs: DerElement,
): Pick<BasicOcspResponse, 'responderID' | 'producedAt' | 'responses' | 'responseExtensions'> {
  const fields = childrenOf(der, tbs)
  let i = 0
  if (fields[i]?.tag === CONTEXT(0)) {
    // version [0] EXPLICIT DEFAULT v1: DER omits a default, so only v1 (0) would be wrong here too.
    const [version, ...extra] = childrenOf(der, fields[i++])
    if (
      !version ||
      extra.length > 0 ||
      version.tag !== TAG.integer ||
      version.end - version.start !== 1 ||
      der[version.start] !== 0
    ) {
      throw new OcspParseError('ResponseData version is not v1')
    }
  }
  const responderID = readResponderId(der, fields[i++] ?? missing('responderID'))
  const producedAt = generalizedTime(der, fields[i++] ?? missing('producedAt'))
  const list = expectTag(fields[i++] ?? missing('responses'), TAG.sequence, 'responses')
  const responses = childrenOf(der, list).map((single) => readSingle(der, single))
  const responseExtensions = fields[i]?.tag === CONTEXT(1) ? extensionsIn(der, fields[i++]) : undefined
  if (i !== fields.length) throw new OcspParseError('unexpected field in ResponseData')
  return { responderID, producedAt, responses, responseExtensions }
}

function readResponderId(der: Uint8Array, field: DerElement): ResponderIdBytes {
  const [inner, ...extra] = childrenOf(der, field)
  if (!inner || extra.length > 0) throw new OcspParseError('ResponderID is not one element')
  if (field.tag === CONTEXT(1))
    return { type: 'byName', name: encodingOf(der, expectTag(inner, TAG.sequence, 'byName')) }
  if (field.tag === CONTEXT(2))
    return { type: 'byKey', keyHash: contentOf(der, expectTag(inner, TAG.octetString, 'byKey')) }
  throw new OcspParseError(
    `ResponderID has tag 0x${field.tag.toString(16)}, neither byName [1] nor byKey [2]`,
  )
}

function readSingle(der: Uint8Array, element: DerElement): SingleResponse {
  const fields = childrenOf(der, expectTag(element, TAG.sequence, 'SingleResponse'))
  let i = 0
  const certID = readCertId(der, fields[i++] ?? missing('certID'))
  const status = fields[i++] ?? missing('certStatus')
  const single: SingleResponse = { certID, certStatus: 'good', thisUpdate: new Date(0) }
  if (status.tag === CONTEXT(0, false) && status.end === status.start) single.certStatus = 'good'
  else if (status.tag === CONTEXT(2, false) && status.end === status.start) single.certStatus = 'unknown'
  else if (status.tag === CONTEXT(1)) {
    single.certStatus = 'revoked'
    const [time, reason, ...extra] = childrenOf(der, status)
    if (!time || extra.length > 0 || (reason && reason.tag !== CONTEXT(0))) {
      throw new OcspParseError('RevokedInfo is not revocationTime and optional [0] revocationReason')
    }
    single.revocationTime = generalizedTime(der, time)
    if (reason) single.revocationReason = enumerated(der, childrenOf(der, reason))
  } else
    throw new OcspParseError(`certStatus has tag 0x${status.tag.toString(16)}, not good, revoked or unknown`)
  single.thisUpdate = generalizedTime(der, fields[i++] ?? missing('thisUpdate'))
  if (fields[i]?.tag === CONTEXT(0)) {
    const [time, ...extra] = childrenOf(der, fields[i++])
    if (!time || extra.length > 0) throw new OcspParseError('[0] nextUpdate is not one time')
    single.nextUpdate = generalizedTime(der, time)
  }
  if (fields[i]?.tag === CONTEXT(1)) single.singleExtensions = extensionsIn(der, fields[i++])
  if (i !== fields.length) throw new OcspParseError('unexpected field in SingleResponse')
  return single
}

function readCertId(der: Uint8Array, element: DerElement): CertId {
  const [algorithm, nameHash, keyHash, serial, ...extra] = childrenOf(
    der,
    expectTag(element, TAG.sequence, 'CertID'),
  )
  if (!serial || extra.length > 0) throw new OcspParseError('CertID is not four fields')
  const serialNumber = contentOf(der, expectTag(serial, TAG.integer, 'serialNumber'))
  if (serialNumber.length === 0) throw new OcspParseError('empty serialNumber')
  return {
    hashAlgorithm: algorithmOid(der, algorithm),
    issuerNameHash: contentOf(der, expectTag(nameHash, TAG.octetString, 'issuerNameHash')),
    issuerKeyHash: contentOf(der, expectTag(keyHash, TAG.octetString, 'issuerKeyHash')),
    serialNumber,
  }
}

/** An AlgorithmIdentifier's OID; its parameters are the algorithm's business. */
function algorithmOid(der: Uint8Array, element: DerElement): string {
  const [oid, ...parameters] = childrenOf(der, expectTag(element, TAG.sequence, 'AlgorithmIdentifier'))
  if (!oid || parameters.length > 1)
    throw new OcspParseError('AlgorithmIdentifier is not an OID and parameters')
  return oidOf(der, oid)
}

/** The Extensions inside an EXPLICIT tag (RFC 5280 §4.1: at least one). */
function extensionsIn(der: Uint8Array, tagged: DerElement): OcspExtension[] {
  const [list, ...extra] = childrenOf(der, tagged)
  if (!list || extra.length > 0) throw new OcspParseError('extensions field is not one SEQUENCE')
  return childrenOf(der, expectTag(list, TAG.sequence, 'Extensions')).map((element) => {
    const fields = childrenOf(der, expectTag(element, TAG.sequence, 'Extension'))
    const critical = fields.length === 3 ? booleanOf(der, fields[1]) : false
    const value = fields[fields.length - 1]
    if (fields.length < 2 || fields.length > 3)
      throw new OcspParseError('Extension is not extnID, critical, extnValue')
    return {
      extnID: oidOf(der, fields[0]),
      critical,
      extnValue: contentOf(der, expectTag(value, TAG.octetString, 'extnValue')),
    }
  })
}

function enumerated(der: Uint8Array, [element, ...extra]: DerElement[]): number {
  if (!element || extra.length > 0 || element.tag !== ENUMERATED || element.end - element.start !== 1) {
    throw new OcspParseError('revocationReason is not a one-octet ENUMERATED')
  }
  return der[element.start]
}

/** GeneralizedTime as RFC 6960 §4.2.2.1 and RFC 5280 §4.1.2.5.2 allow it: UTC, seconds, optional fraction. */
function generalizedTime(der: Uint8Array, element: DerElement): Date {
  expectTag(element, TAG.generalizedTime, 'GeneralizedTime')
  const text = Buffer.from(contentOf(der, element)).toString('latin1')
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d*[1-9])?Z$/.exec(text)
  if (!match) throw new OcspParseError(`time '${text}' is not a DER GeneralizedTime`)
  const [, year, month, day, hour, minute, second, fraction] = match
  const ms = fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0
  const date = new Date(Date.UTC(+year, +month - 1, +day, +hour, +minute, +second, ms))
  if (date.getUTCDate() !== +day || +hour > 23 || +minute > 59 || +second > 59) {
    throw new OcspParseError(`time '${text}' is not a calendar time`)
  }
  return date
}

function missing(what: string): never {
  throw new OcspParseError(`${what} is missing`)
}
