// Signature check of a CRL by its issuer's key with node:crypto. The key comes
// from the issuer's SubjectPublicKeyInfo alone: @peculiar/x509's
// X509Crl.verify with the issuer *certificate* mixes in that certificate's own
// signature algorithm and fails when CA and CRL use different key types
// (STACK-NOTES §6).
import { verify } from 'node:crypto'
import { publicKeyObjectOf } from '../../chain/certificate-signature.js'
import type { Cert } from '../../model/cert.js'
import type { CrlIndex } from './entries.js'
import { SIGNATURE_DIGESTS } from '../signature-digests.js'

/** One verification per (CRL, issuer key) per run, however many certificates the CRL covers. */
const verdicts = new WeakMap<CrlIndex, Map<string, string | undefined>>()

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
  const key = publicKeyObjectOf(issuer)
  if (!key) return `the public key of ${issuer.subject} cannot be used to check a signature`
  try {
    const ok = verify(SIGNATURE_DIGESTS[crl.signatureAlgorithm], crl.tbs, key, crl.signature)
    return ok ? undefined : `signature does not verify with the key of ${issuer.subject}`
  } catch (error) {
    return `signature cannot be checked with the key of ${issuer.subject} (${(error as Error).message})`
  }
}
