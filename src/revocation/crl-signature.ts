// Signature check of a CRL by its issuer's key with node:crypto. The key comes
// from the issuer's SubjectPublicKeyInfo alone: @peculiar/x509's
// X509Crl.verify with the issuer *certificate* mixes in that certificate's own
// signature algorithm and fails when CA and CRL use different key types
// (STACK-NOTES §6).
import { createPublicKey, verify, type KeyObject } from 'node:crypto'
import type { Cert } from '../model/cert.js'
import type { CrlIndex } from './crl-index.js'
import { SIGNATURE_DIGESTS } from './signature-digests.js'

const keys = new WeakMap<Cert, KeyObject>()
/** One verification per (CRL, issuer key) per run, however many certificates the CRL covers. */
const verdicts = new WeakMap<CrlIndex, Map<string, string | undefined>>()

function publicKeyOf(issuer: Cert): KeyObject {
  let key = keys.get(issuer)
  if (!key) {
    key = createPublicKey({ key: Buffer.from(issuer.x509.publicKey.rawData), format: 'der', type: 'spki' })
    keys.set(issuer, key)
  }
  return key
}

/**
 * Checks signatureValue over the DER of tbsCertList with the issuer's public
 * key (RFC 5280 §6.3.3 (f)/(g)). Returns undefined when it verifies, else the
 * reason written for the operator.
 */
export function crlSignatureProblem(crl: CrlIndex, issuer: Cert): string | undefined {
  let byIssuer = verdicts.get(crl)
  if (!byIssuer) verdicts.set(crl, (byIssuer = new Map()))
  const key = `${issuer.subjectKey}:${issuer.sha256}`
  if (!byIssuer.has(key)) byIssuer.set(key, verifyOnce(crl, issuer))
  return byIssuer.get(key)
}

function verifyOnce(crl: CrlIndex, issuer: Cert): string | undefined {
  if (!(crl.signatureAlgorithm in SIGNATURE_DIGESTS))
    return `signature algorithm ${crl.signatureAlgorithm} is not supported for CRLs`
  try {
    const ok = verify(SIGNATURE_DIGESTS[crl.signatureAlgorithm], crl.tbs, publicKeyOf(issuer), crl.signature)
    return ok ? undefined : `signature does not verify with the key of ${issuer.subject}`
  } catch (error) {
    return `signature cannot be checked with the key of ${issuer.subject} (${(error as Error).message})`
  }
}
