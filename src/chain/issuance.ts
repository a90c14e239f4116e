import { X509Certificate as NodeX509Certificate } from 'node:crypto'
import type { Cert } from '../model/cert.js'
import { EMPTY_NAME_KEY } from '../model/name-match.js'
import { parserMessage } from '../model/parser-message.js'
import {
  publicKeyObjectOf,
  signedPartsOf,
  verifySignedParts,
  verifySignedPartsInPool,
} from './certificate-signature.js'

/** Why a candidate does or does not issue a certificate; only 'issued' links a path. */
export type IssuanceVerdict = 'issued' | 'name-mismatch' | 'key-id-mismatch' | 'bad-signature'

// A certificate whose signature certificate-signature.ts cannot check is
// handed to OpenSSL (through node) at most once.
const nodeCerts = new WeakMap<Cert, NodeX509Certificate | string>()
// Signature results by issuer sha256, then subject sha256: identical
// certificates loaded from different files share the answer.
const signatureResults = new Map<string, Map<string, boolean>>()
const spkiHex = new WeakMap<Cert, string>()

/** OpenSSL's reading of the certificate, or its reason for refusing it. */
function nodeReadingOf(cert: Cert): NodeX509Certificate | string {
  let parsed = nodeCerts.get(cert)
  if (parsed === undefined) {
    try {
      parsed = new NodeX509Certificate(cert.der)
    } catch (error) {
      parsed = parserMessage(error)
    }
    nodeCerts.set(cert, parsed)
  }
  return parsed
}

function nodeCertOf(cert: Cert): NodeX509Certificate | null {
  const parsed = nodeReadingOf(cert)
  return typeof parsed === 'string' ? null : parsed
}

/**
 * Why OpenSSL (through node:crypto) refuses a certificate our DER reader
 * accepted, or undefined when it reads it: code that hands a certificate to
 * node:crypto asks first rather than letting the refusal escape.
 */
export function nodeParseError(cert: Cert): string | undefined {
  const parsed = nodeReadingOf(cert)
  return typeof parsed === 'string' ? parsed : undefined
}

/** The subjectPublicKeyInfo as hex: a CA is its name and key (RFC 5280 §6.1.1 (d)), not one certificate. */
export function publicKeyOf(cert: Cert): string {
  let key = spkiHex.get(cert)
  if (key === undefined) {
    key = Buffer.from(cert.spki.buffer, cert.spki.byteOffset, cert.spki.byteLength).toString('hex')
    spkiHex.set(cert, key)
  }
  return key
}

/**
 * Whether the signature on `subject` verifies with the public key of
 * `issuer` (RFC 5280 §6.1.3 (a)(1)). Unsupported or malformed keys count as
 * not verifying rather than throwing.
 */
export function signatureVerifies(subject: Cert, issuer: Cert): boolean {
  let verified = knownSignature(subject, issuer)
  if (verified === undefined) {
    verified = verifyWithNode(subject, issuer)
    rememberSignature(subject, issuer, verified)
  }
  return verified
}

/**
 * signatureVerifies() with the verification in libuv's thread pool, the
 * answer remembered for the path building that follows: the revocation
 * prefetch checks signatures while files are still being read, and the chain
 * stage then finds them known. Signatures only OpenSSL can read whole are
 * checked synchronously, as signatureVerifies() does.
 */
export async function signatureVerifiesInPool(subject: Cert, issuer: Cert): Promise<boolean> {
  const known = knownSignature(subject, issuer)
  if (known !== undefined) return known
  const parts = signedPartsOf(subject.der)
  const key = publicKeyObjectOf(issuer)
  if (!parts || !key) return signatureVerifies(subject, issuer)
  const verified = await verifySignedPartsInPool(parts, key)
  rememberSignature(subject, issuer, verified)
  return verified
}

const knownSignature = (subject: Cert, issuer: Cert): boolean | undefined =>
  signatureResults.get(issuer.sha256)?.get(subject.sha256)

function rememberSignature(subject: Cert, issuer: Cert, verified: boolean): void {
  let bySubject = signatureResults.get(issuer.sha256)
  if (!bySubject) signatureResults.set(issuer.sha256, (bySubject = new Map()))
  bySubject.set(subject.sha256, verified)
}

function verifyWithNode(subject: Cert, issuer: Cert): boolean {
  const parts = signedPartsOf(subject.der)
  const key = publicKeyObjectOf(issuer)
  if (parts && key) return verifySignedParts(parts, key)
  // RSASSA-PSS, DSA and odd encodings: OpenSSL reads the whole certificate.
  const subjectNode = nodeCertOf(subject)
  const issuerNode = nodeCertOf(issuer)
  try {
    return subjectNode !== null && issuerNode !== null && subjectNode.verify(issuerNode.publicKey)
  } catch {
    return false
  }
}

/**
 * Whether the authority key identifier of `subject` and the subject key
 * identifier of `issuer` agree when both are present (RFC 5280 §4.2.1.1:
 * AKI keyIdentifier is the issuer's SKI). Either one absent is no evidence
 * against the pair.
 */
export function keyIdsConsistent(subject: Cert, issuer: Cert): boolean {
  return !subject.authorityKeyId || !issuer.subjectKeyId || subject.authorityKeyId === issuer.subjectKeyId
}

/**
 * Does `issuer` issue `subject`? The issuer field must be a non-empty name
 * (RFC 5280 §4.1.2.4) matching the candidate's subject (§6.1.3 (a)(4), §7.1), key
 * identifiers must not contradict each other, and the signature must verify
 * with the candidate's key.
 */
export function issuanceVerdict(subject: Cert, issuer: Cert): IssuanceVerdict {
  if (subject.issuerKey === EMPTY_NAME_KEY || subject.issuerKey !== issuer.subjectKey) return 'name-mismatch'
  if (!keyIdsConsistent(subject, issuer)) return 'key-id-mismatch'
  return signatureVerifies(subject, issuer) ? 'issued' : 'bad-signature'
}

/** Shorthand for issuanceVerdict(...) === 'issued'. */
export function issues(issuer: Cert, subject: Cert): boolean {
  return issuanceVerdict(subject, issuer) === 'issued'
}

/** Self-issued and signed by its own key: a root, or a self-signed end-entity certificate. */
export function isSelfSigned(cert: Cert): boolean {
  return cert.selfIssued && signatureVerifies(cert, cert)
}

/** A self-signed version 1 certificate: a root from before extensions, a CA without basicConstraints (OpenSSL's V1_ROOT). */
export function isV1Root(cert: Cert): boolean {
  return cert.version < 3 && isSelfSigned(cert)
}
