// Parsing OCSP responses (RFC 6960 §4.2.1) strictly: trailing bytes, an
// undefined responseStatus, a missing or non-basic responseBytes are parse
// errors, kept apart from the responder's own error statuses.
import * as asn1js from 'asn1js'
import * as pkijs from 'pkijs'
import { derEncodingProblem } from '../load/der.js'
import { readElement, TAG } from '../model/der-reader.js'

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

export type ParsedOcspResponse =
  | { status: Exclude<OcspResponseStatus, 'successful'> }
  | { status: 'successful'; basic: pkijs.BasicOCSPResponse }

/**
 * Decodes one element that must be exactly DER (RFC 6960 §4.2.1 responses
 * are DER, and the signature covers bytes as sent): the strict walk runs
 * first, so BER forms, trailing data and nesting that would exhaust
 * asn1js's recursion are refused before it sees them.
 */
function decodeWhole(der: Uint8Array, what: string): asn1js.AsnType {
  const encoding = derEncodingProblem(der)
  if (encoding) throw new OcspParseError(`${what} is not DER: ${encoding}`)
  const asn1 = asn1js.fromBER(der)
  if (asn1.offset === -1) throw new OcspParseError(`${what} is not valid DER (${asn1.result.error})`)
  if (asn1.offset !== der.byteLength) {
    throw new OcspParseError(`${what} has ${der.byteLength - asn1.offset} trailing bytes after its DER`)
  }
  return asn1.result
}

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
const ENUMERATED = 0x0a

/**
 * Parses an OCSPResponse. Throws OcspParseError for malformed input; a
 * responder error status (tryLater, unauthorized, …) is a successful parse
 * with that status and no basic response.
 */
export function parseOcspResponse(der: Uint8Array): ParsedOcspResponse {
  let response: pkijs.OCSPResponse
  try {
    response = new pkijs.OCSPResponse({ schema: decodeWhole(der, 'the OCSP response') })
  } catch (error) {
    throw error instanceof OcspParseError
      ? error
      : new OcspParseError(`not an OCSP response (${(error as Error).message})`)
  }
  const code = response.responseStatus.valueBlock.valueDec
  const status = RESPONSE_STATUS_NAMES[code]
  if (!status) throw new OcspParseError(`responseStatus ${code} is not defined by RFC 6960`)
  if (status !== 'successful') return { status }
  if (!response.responseBytes)
    throw new OcspParseError('responseStatus is successful but responseBytes is absent')
  if (response.responseBytes.responseType !== OCSP_BASIC_OID) {
    throw new OcspParseError(`responseType ${response.responseBytes.responseType} is not id-pkix-ocsp-basic`)
  }
  try {
    const inner = response.responseBytes.response.valueBlock.valueHexView
    return {
      status,
      basic: new pkijs.BasicOCSPResponse({ schema: decodeWhole(inner, 'the BasicOCSPResponse') }),
    }
  } catch (error) {
    throw error instanceof OcspParseError
      ? error
      : new OcspParseError(`malformed BasicOCSPResponse (${(error as Error).message})`)
  }
}
