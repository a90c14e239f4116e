// Judging an OCSP response (RFC 6960 §3.2, §4.2.2.2; RFC 5019 §4): nothing
// it says is believed until the signer is authorised, the CertID names the
// certificate asked about and the nonce and times are right. Stricter than
// Go's x/crypto/ocsp (which skips the responder's EKU and validity) and than
// `openssl ocsp` (which exits 0 on revoked, unknown and stale answers).
import { verify as verifySignature } from 'node:crypto'
import { publicKeyObjectOf } from '../../chain/certificate-signature.js'
import {
  nodeParseError,
  publicKeyOf,
  signatureVerifies as certificateSignatureVerifies,
} from '../../chain/issuance.js'
import { buildCert } from '../../model/build.js'
import { OID, type Cert } from '../../model/cert.js'
import { responderCertProblems } from '../../rules/support/ocsp-responder.js'
import type { Revocation, RevocationStatus } from '../../model/types.js'
import { issuerHashes, OCSP_NONCE_OID, subjectPublicKeyBits, type OcspRequest } from './request.js'
import { readElement, TAG } from '../../model/der-reader.js'
import { nameKey } from '../../model/name-match.js'
import {
  OcspParseError,
  parseOcspResponse,
  type BasicOcspResponse,
  type CertId,
  type OcspExtension,
  type ParsedOcspResponse,
  type ResponderIdBytes,
  type SingleResponse,
} from './response.js'
import type { RevocationOptions } from '../types.js'
import { CRL_REASONS } from '../crl/entries.js'
import { SIGNATURE_DIGESTS } from '../signature-digests.js'

export const HASH_OIDS: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.4': 'sha224',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
}
const CERT_ID_HASH_OID = { sha1: '1.3.14.3.2.26', sha256: '2.16.840.1.101.3.4.2.1' }

/** Extensions whose meaning is known, so a critical one is not a reason to reject (RFC 5280 §4.2). */
const KNOWN_RESPONSE_EXTENSIONS = new Set([OCSP_NONCE_OID, '1.3.6.1.5.5.7.48.1.9' /* extended revoke */])
const KNOWN_SINGLE_EXTENSIONS = new Set([
  '2.5.29.21' /* CRLReason */,
  '2.5.29.24' /* invalidityDate */,
  '1.3.6.1.5.5.7.48.1.6' /* archive cutoff */,
  '1.3.6.1.4.1.11129.2.4.5' /* SCT list */,
])

export type ResponderId = { type: 'byName'; name: string } | { type: 'byKey'; keyHash: string }
export type CertStatus = 'good' | 'revoked' | 'unknown'

/** What the response claims about one certificate, before or regardless of authentication. */
export interface SingleResponseFacts {
  serial: string
  hashAlgorithm: string
  certStatus: CertStatus
  thisUpdate: string
  nextUpdate?: string
  revokedAt?: string
  reason?: string
}

/** What the response says, as parsed; for reports and replay, not a verdict. */
export interface OcspResponseFacts {
  responseStatus: string
  responderId?: ResponderId
  producedAt?: string
  responses: SingleResponseFacts[]
}

export type FreshnessOptions = Pick<
  RevocationOptions,
  'now' | 'clockSkewMs' | 'nextUpdateMarginMs' | 'maxAgeMs'
>

export interface OcspJudgeInput {
  der: Uint8Array
  /** Candidate issuers; the CertID's name and key hashes pick the one the response is about. */
  issuers: Cert[]
  /** Serial (hex) of the certificate asked about; without it the response must hold exactly one answer. */
  serial?: string
  /** The live request: the response must answer with its CertID hash and echo its nonce. */
  request?: OcspRequest
  options: FreshnessOptions & Pick<RevocationOptions, 'nonce' | 'responderCerts' | 'advise'>
  /** `der` already parsed: a stored response tried against several certificates is parsed once. */
  parsed?: ParsedOcspResponse
}

export interface OcspJudgement {
  /** source 'ocsp' and no url: the caller knows where the bytes came from. */
  revocation: Revocation
  facts?: OcspResponseFacts
  /** The certificate serial the verdict is about. */
  serial?: string
  /** The issuer whose CertID hashes the response carries. */
  issuer?: Cert
  /** The certificate whose key signed the response, once authenticated. */
  signer?: Cert
}

/** A reason not to believe a response; `status` is how it is reported. */
class Rejection extends Error {
  constructor(
    readonly status: RevocationStatus,
    message: string,
  ) {
    super(message)
  }
}
const reject = (status: RevocationStatus, message: string): never => {
  throw new Rejection(status, message)
}

/**
 * Judges one DER OCSP response. Any failure of parsing, signature,
 * authorisation, CertID, nonce, critical extensions or time order is
 * `invalid`; tryLater and internalError are `unreachable` (no usable answer);
 * an authentic but outdated answer is `stale`; otherwise the certificate's
 * status. Every verdict carries a detail naming the cause.
 */
export async function judgeOcspResponse(input: OcspJudgeInput): Promise<OcspJudgement> {
  const judgement: OcspJudgement = { revocation: { source: 'ocsp', status: 'invalid' } }
  try {
    await judgeInto(input, judgement)
  } catch (error) {
    if (!(error instanceof Rejection)) throw error
    judgement.revocation = { source: 'ocsp', status: error.status, detail: error.message }
  }
  return judgement
}

async function judgeInto(input: OcspJudgeInput, judgement: OcspJudgement): Promise<void> {
  let parsed
  try {
    parsed = input.parsed ?? parseOcspResponse(input.der)
  } catch (error) {
    if (!(error instanceof OcspParseError)) throw error
    return reject('invalid', `unreadable OCSP response: ${error.message}; the responder or file is broken`)
  }
  judgement.facts = { responseStatus: parsed.status, responses: [] }
  if (parsed.status !== 'successful') return rejectErrorStatus(parsed.status)

  const data = parsed.basic
  const facts = judgement.facts
  facts.responderId = readResponderId(data.responderID)
  facts.producedAt = data.producedAt.toISOString()
  facts.responses = data.responses.map(readSingle)

  checkCriticalExtensions(data.responseExtensions, KNOWN_RESPONSE_EXTENSIONS, 'response')
  for (const response of data.responses) {
    checkCriticalExtensions(response.singleExtensions, KNOWN_SINGLE_EXTENSIONS, 'single response')
  }
  const { single, issuer } = selectSingle(data.responses, input)
  judgement.serial = normaliseSerial(serialHex(single.certID))
  judgement.issuer = issuer
  const signer = await authenticate(data, issuer, input.options)
  judgement.signer = signer

  if (input.request && single.certID.hashAlgorithm !== CERT_ID_HASH_OID[input.request.hash]) {
    reject('invalid', `the response's CertID uses another hash than the ${input.request.hash} request`)
  }
  checkNonce(data.responseExtensions, input)
  checkTimeOrder(single, data.producedAt, input.options)

  const claim = readSingle(single)
  const revocation: Revocation = {
    source: 'ocsp',
    status: claim.certStatus,
    producedAt: facts.producedAt,
    thisUpdate: claim.thisUpdate,
    ...(claim.nextUpdate ? { nextUpdate: claim.nextUpdate } : {}),
    ...(claim.revokedAt ? { revokedAt: claim.revokedAt } : {}),
    ...(claim.reason ? { reason: claim.reason } : {}),
  }
  const staleness = stalenessOf(single.thisUpdate, single.nextUpdate, input.options)
  if (staleness) {
    revocation.status = 'stale'
    revocation.detail = `${staleness} (it said ${claim.certStatus}); the responder or staple is not being refreshed`
  } else if (claim.certStatus === 'revoked') {
    revocation.detail = `revoked at ${claim.revokedAt}${claim.reason ? ` (${claim.reason})` : ''}; replace the certificate`
  } else if (claim.certStatus === 'unknown') {
    revocation.detail = 'the responder does not know this certificate; check the issuer and the OCSP URL'
  }
  judgement.revocation = revocation
}

function rejectErrorStatus(status: string): never {
  if (status === 'tryLater' || status === 'internalError') {
    return reject('unreachable', `the responder answered ${status}; retry later or contact the CA`)
  }
  const why: Record<string, string> = {
    malformedRequest: 'it could not read the request',
    sigRequired: 'it wants signed requests',
    unauthorized: 'it does not serve this certificate; check the issuer and the OCSP URL',
  }
  return reject('invalid', `the responder answered ${status}: ${why[status]}`)
}

function readResponderId(responderId: ResponderIdBytes): ResponderId {
  return responderId.type === 'byName'
    ? { type: 'byName', name: hex(responderId.name) }
    : { type: 'byKey', keyHash: hex(responderId.keyHash) }
}

function readSingle(single: SingleResponse): SingleResponseFacts {
  const facts: SingleResponseFacts = {
    serial: normaliseSerial(serialHex(single.certID)),
    hashAlgorithm: single.certID.hashAlgorithm,
    certStatus: single.certStatus,
    thisUpdate: single.thisUpdate.toISOString(),
    ...(single.nextUpdate ? { nextUpdate: single.nextUpdate.toISOString() } : {}),
  }
  if (single.revocationTime) {
    facts.revokedAt = single.revocationTime.toISOString()
    // RFC 6960 §4.2.2.2 lets responders carry the reason as a CRLReason single extension instead.
    const reason = single.revocationReason ?? extensionReason(single.singleExtensions)
    if (reason !== undefined) facts.reason = CRL_REASONS[reason] ?? `reason ${reason}`
  }
  return facts
}

/** The CRLReason single extension's code (an ENUMERATED), when present and readable. */
function extensionReason(extensions: OcspExtension[] | undefined): number | undefined {
  const value = extensions?.find((e) => e.extnID === '2.5.29.21')?.extnValue
  if (!value) return undefined
  try {
    const element = readElement(value, 0, value.length)
    return element.tag === 0x0a && element.end === value.length && element.end - element.start === 1
      ? value[element.start]
      : undefined
  } catch {
    return undefined
  }
}

const hex = (bytes: ArrayBuffer | Uint8Array): string => Buffer.from(bytes as Uint8Array).toString('hex')
const serialHex = (certId: CertId): string => hex(certId.serialNumber)

/** Serials compare as integers: drop the DER sign byte and leading zeros. */
export function normaliseSerial(serial: string): string {
  return serial.toLowerCase().replace(/^(00)+(?=..)/, '')
}

/** Does `issuer` have the name and key hashes the CertID carries (RFC 6960 §4.1.1)? */
function certIdNamesIssuer(certId: CertId, issuer: Cert): boolean {
  const digest = HASH_OIDS[certId.hashAlgorithm]
  if (!digest) return false
  const { nameHash, keyHash } = issuerHashes(issuer, digest)
  return nameHash.equals(certId.issuerNameHash) && keyHash.equals(certId.issuerKeyHash)
}

/** Finds the SingleResponse about the serial asked for, and the issuer its CertID names. */
function selectSingle(
  responses: SingleResponse[],
  input: OcspJudgeInput,
): { single: SingleResponse; issuer?: Cert } {
  const wanted = input.serial ? normaliseSerial(input.serial) : undefined
  const answered = responses.map((single) => normaliseSerial(serialHex(single.certID)))
  const forSerial = wanted ? responses.filter((_, i) => answered[i] === wanted) : responses
  if (forSerial.length === 0) {
    return reject(
      'invalid',
      `CertID mismatch: the response answers for serial ${answered.join(', ') || 'none'}, not ${wanted}`,
    )
  }
  if (!wanted && forSerial.length !== 1) {
    return reject('invalid', `the response holds ${forSerial.length} answers; name the certificate it is for`)
  }
  for (const single of forSerial) {
    const issuer = input.issuers.find((candidate) => certIdNamesIssuer(single.certID, candidate))
    if (issuer) return { single, issuer }
  }
  const hashOid = forSerial[0].certID.hashAlgorithm
  if (!HASH_OIDS[hashOid])
    return reject('invalid', `the CertID uses an unsupported hash algorithm (${hashOid})`)
  if (input.issuers.length === 0) {
    const { advise } = input.options
    return reject(
      'invalid',
      `no issuer certificate to authenticate the response with; pass ${advise('issuer')} or ${advise('trust')}`,
    )
  }
  return reject(
    'invalid',
    `CertID mismatch: its issuer name/key hashes match none of ${input.issuers.map((i) => i.subject).join('; ')}`,
  )
}

function matchesResponderId(cert: Cert, responderId: ResponderId): boolean {
  if (responderId.type === 'byName') return cert.subjectKey === nameKey(Buffer.from(responderId.name, 'hex'))
  return issuerHashes(cert, 'sha1').keyHash.toString('hex') === responderId.keyHash
}

/**
 * Whether the key of `signer` made the response's signature. Verified on the
 * main thread: measured on an idle two-core machine, moving each check to
 * libuv's thread pool (crypto.verify with a callback) cost more in hand-offs
 * than it saved (README Performance), as the responder holds the other core.
 */
function signatureVerifies(basic: BasicOcspResponse, signer: Cert): boolean {
  const digest = SIGNATURE_DIGESTS[basic.signatureAlgorithm]
  const key = publicKeyObjectOf(signer)
  if (!key) return false
  try {
    return verifySignature(digest ?? null, basic.tbsResponseData, key, basic.signature)
  } catch {
    return false
  }
}

const sameKey = (a: Cert, b: Cert): boolean =>
  a.subjectKey === b.subjectKey && Buffer.from(subjectPublicKeyBits(a)).equals(subjectPublicKeyBits(b))

/**
 * Certificates embedded in responses, by their DER: a responder sends the
 * same signer certificate with every answer, so it is read once, and its
 * delegation checks (below) are made once per issuer. Bounded, as the
 * responses come from the network.
 */
const embeddedCerts = new Map<string, Cert | null>()
const EMBEDDED_CERTS_KEPT = 256

function embeddedCert(der: Uint8Array): Cert | null {
  const key = Buffer.from(der).toString('base64')
  let cert = embeddedCerts.get(key)
  if (cert === undefined) {
    try {
      cert = buildCert(der, { file: 'ocsp-response', line: 1, index: 0 })
    } catch {
      cert = null
    }
    if (embeddedCerts.size >= EMBEDDED_CERTS_KEPT) embeddedCerts.clear()
    embeddedCerts.set(key, cert)
  }
  return cert
}

/**
 * Finds the certificate that signed the response and checks that it may
 * speak for `issuer` (RFC 6960 §4.2.2.2): the issuer itself, a responder the
 * user pinned, or a delegated responder issued directly by the issuer with
 * id-kp-OCSPSigning and valid now. The signer must be the one the
 * ResponderID names (byName: its subject; byKey: SHA-1 of its key); every
 * candidate whose key verifies the signature is tried.
 */
async function authenticate(
  basic: BasicOcspResponse,
  issuer: Cert | undefined,
  options: Pick<RevocationOptions, 'responderCerts' | 'now' | 'advise'>,
): Promise<Cert> {
  const { responderCerts: pinned, advise } = options
  const algorithm = basic.signatureAlgorithm
  if (!(algorithm in SIGNATURE_DIGESTS)) {
    reject('invalid', `the response is signed with an unsupported or broken algorithm (${algorithm})`)
  }
  const responderId = readResponderId(basic.responderID)
  const embedded = basic.certs.flatMap((der) => {
    const cert = embeddedCert(der)
    return cert ? [cert] : []
  })
  const candidates = [...(issuer ? [issuer] : []), ...pinned, ...embedded].filter((c) =>
    matchesResponderId(c, responderId),
  )
  if (candidates.length === 0) {
    return reject(
      'invalid',
      `no certificate matches the ResponderID (not the issuer, an embedded certificate or ${advise('responder-cert')})`,
    )
  }
  // The issuer usually also comes embedded in its own answers: one check per key, not per certificate.
  const byKey = new Map<string, boolean>()
  const verified = candidates.map((c) => {
    const key = publicKeyOf(c)
    let valid = byKey.get(key)
    if (valid === undefined) byKey.set(key, (valid = signatureVerifies(basic, c)))
    return valid
  })
  const signers = candidates.filter((_, i) => verified[i])
  if (signers.length === 0)
    return reject('invalid', `the signature does not verify with the key of ${candidates[0].subject}`)
  // Several certificates may carry the signing key (a re-issued responder, or one planted before the
  // real one): the response is authentic when any of them is authorised, whatever their order.
  const reasons = signers.map((signer) => authorisationProblem(signer, issuer, options))
  const authorised = signers.find((_, i) => reasons[i] === undefined)
  return authorised ?? reject('invalid', reasons[0] as string)
}

/** Why `signer` may not speak for `issuer`'s certificates (RFC 6960 §4.2.2.2), or undefined when it may. */
function authorisationProblem(
  signer: Cert,
  issuer: Cert | undefined,
  options: Pick<RevocationOptions, 'responderCerts' | 'now' | 'advise'>,
): string | undefined {
  if (options.responderCerts.some((p) => p.sha256 === signer.sha256)) return undefined
  if (!issuer)
    return `signed by ${signer.subject}, but no issuer is known to authorise it; pass ${options.advise('issuer')}`
  if (sameKey(signer, issuer)) return undefined
  const problem = delegationProblem(signer, issuer, options.now)
  return problem && `delegated responder ${signer.subject} is not authorised: ${problem}`
}

/** Why `responder` may not answer for certificates of `issuer` (RFC 6960 §4.2.2.2), or undefined. */
function delegationProblem(responder: Cert, issuer: Cert, now: Date): string | undefined {
  const problem = issuanceProblem(responder, issuer)
  if (problem) return problem
  if (now < responder.notBefore || now > responder.notAfter) {
    return `it is not valid at ${now.toISOString()} (${responder.notBefore.toISOString()} to ${responder.notAfter.toISOString()})`
  }
  return undefined
}

const issuanceProblems = new WeakMap<Cert, Map<string, string | undefined>>()

/**
 * What in `responder` itself bars it from speaking for `issuer`: not issued
 * by it, no id-kp-OCSPSigning, or an error of the ocsp-responder-cert-invalid
 * rule. None of it depends on the time or the response, so it is decided
 * once per responder certificate and issuer, however many answers it signs.
 */
function issuanceProblem(responder: Cert, issuer: Cert): string | undefined {
  let byIssuer = issuanceProblems.get(responder)
  if (!byIssuer) issuanceProblems.set(responder, (byIssuer = new Map()))
  if (!byIssuer.has(issuer.sha256)) byIssuer.set(issuer.sha256, decideIssuance(responder, issuer))
  return byIssuer.get(issuer.sha256)
}

function decideIssuance(responder: Cert, issuer: Cert): string | undefined {
  // Our DER reader accepts what OpenSSL may refuse (one flipped bit in the
  // embedded certificate): a certificate OpenSSL cannot read is not one the
  // responder can be authorised by, and saying so beats "not issued by".
  const unreadable = nodeParseError(responder)
  if (unreadable) return `the responder certificate in the response cannot be parsed: ${unreadable}`
  if (responder.issuerKey !== issuer.subjectKey || !certificateSignatureVerifies(responder, issuer)) {
    return `it was not issued by ${issuer.subject}`
  }
  if (!responder.extKeyUsage?.oids.includes(OID.ocspSigning))
    return 'it lacks the id-kp-OCSPSigning extended key usage'
  // The ocsp-responder-cert-invalid rule's errors (keyUsage, cA) disqualify; its warnings (nocheck) do not.
  const ruleProblem = responderCertProblems(responder).find(
    (p) => p.severity !== 'warning' && p.severity !== 'info',
  )
  return ruleProblem?.message
}

function nonceValue(extension: OcspExtension): Uint8Array {
  // RFC 8954: extnValue holds an OCTET STRING; some responders echo the raw bytes.
  const raw = extension.extnValue
  try {
    const inner = readElement(raw, 0, raw.length)
    return inner.tag === TAG.octetString && inner.end === raw.length ? raw.subarray(inner.start) : raw
  } catch {
    return raw
  }
}

/** RFC 6960 §4.4.1 / RFC 8954: a nonce sent must come back unchanged; `require` also refuses its absence. */
function checkNonce(extensions: OcspExtension[] | undefined, input: OcspJudgeInput): void {
  const sent = input.request?.nonce
  if (!sent) return
  const echoed = extensions?.find((e) => e.extnID === OCSP_NONCE_OID)
  if (!echoed) {
    if (input.options.nonce === 'require') {
      reject(
        'invalid',
        `the responder did not echo the nonce (${input.options.advise('nonce', 'require')}); the answer may be replayed`,
      )
    }
    return
  }
  if (hex(nonceValue(echoed)) !== hex(sent)) {
    reject('invalid', 'nonce mismatch: the response answers another request (replayed or mixed up)')
  }
}

/** RFC 5280 §4.2 applied to RFC 6960 extensions: a critical extension not understood makes the response unusable. */
function checkCriticalExtensions(
  extensions: OcspExtension[] | undefined,
  known: Set<string>,
  where: string,
): void {
  const unknown = extensions?.find((e) => e.critical && !known.has(e.extnID))
  if (unknown)
    reject('invalid', `the ${where} carries a critical extension not understood (${unknown.extnID})`)
}

/** RFC 5019 §4 / RFC 6960 §3.2: a response from the future, or answered before it was produced, is not believed. */
function checkTimeOrder(single: SingleResponse, producedAt: Date, options: FreshnessOptions): void {
  const latest = options.now.getTime() + options.clockSkewMs
  if (single.thisUpdate.getTime() > latest) {
    reject(
      'invalid',
      `thisUpdate ${single.thisUpdate.toISOString()} is in the future; check the responder's clock`,
    )
  }
  if (producedAt.getTime() > latest) {
    reject('invalid', `producedAt ${producedAt.toISOString()} is in the future; check the responder's clock`)
  }
  if (single.thisUpdate.getTime() > producedAt.getTime() + options.clockSkewMs) {
    reject(
      'invalid',
      `thisUpdate ${single.thisUpdate.toISOString()} is after producedAt ${producedAt.toISOString()}`,
    )
  }
  if (single.nextUpdate && single.nextUpdate < single.thisUpdate) {
    reject('invalid', `nextUpdate ${single.nextUpdate.toISOString()} is before thisUpdate`)
  }
}

/**
 * Why revocation data with these times is stale at `now`, or undefined:
 * nextUpdate past or within the margin; without nextUpdate, thisUpdate older
 * than maxAge (RFC 5019 §4 leaves that to local policy). Shared with CRLs.
 */
export function stalenessOf(
  thisUpdate: Date,
  nextUpdate: Date | undefined,
  options: FreshnessOptions,
): string | undefined {
  const now = options.now.getTime()
  if (nextUpdate) {
    if (nextUpdate.getTime() <= now) return `stale: nextUpdate ${nextUpdate.toISOString()} has passed`
    if (nextUpdate.getTime() - now < options.nextUpdateMarginMs) {
      return `stale: nextUpdate ${nextUpdate.toISOString()} is within the ${options.nextUpdateMarginMs / 60_000} min margin`
    }
    return undefined
  }
  if (now - thisUpdate.getTime() > options.maxAgeMs) {
    return `stale: no nextUpdate and thisUpdate ${thisUpdate.toISOString()} is older than the ${options.maxAgeMs / 3_600_000} h max age`
  }
  return undefined
}
