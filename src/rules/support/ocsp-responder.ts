import type { Cert } from '../../model/cert.js'
import { OID } from '../../model/cert.js'
import type { RuleResult } from '../rule.js'
import { KeyUsage } from './key-usage.js'

/** A certificate a CA delegated OCSP signing to (RFC 6960 §4.2.2.2). */
export function isDelegatedResponder(cert: Cert): boolean {
  return cert.extKeyUsage?.oids.includes(OID.ocspSigning) ?? false
}

/**
 * What is wrong with a delegated OCSP responder certificate, for the
 * ocsp-responder-cert-invalid rule and for responder certificates embedded in
 * OCSP responses:
 * - it signs responses, so a keyUsage must allow digitalSignature (RFC 5280
 *   §4.2.1.3; BR 7.1.2.8.7 requires the extension with that bit);
 * - it must not be a CA (BR 7.1.2.8.4): a CA key that also signs OCSP
 *   answers widens what a compromise of the responder can do;
 * - without id-pkix-ocsp-nocheck a client would have to check the
 *   responder's own status, usually with the responder itself (RFC 6960
 *   §4.2.2.2.1; BR 7.1.2.8.6 makes it MUST): a warning.
 */
export function responderCertProblems(cert: Cert): RuleResult[] {
  const problems: RuleResult[] = []
  if (!cert.keyUsage)
    problems.push({
      message: 'The OCSP responder certificate has no keyUsage; it needs digitalSignature (BR 7.1.2.8.7).',
    })
  else if (!(cert.keyUsage.flags & KeyUsage.digitalSignature))
    problems.push({
      message:
        'The OCSP responder certificate keyUsage lacks digitalSignature, so it cannot sign responses (RFC 5280 §4.2.1.3).',
    })
  if (cert.basicConstraints?.ca)
    problems.push({
      message:
        'The OCSP responder certificate asserts cA:TRUE; responder certificates MUST NOT be CAs (BR 7.1.2.8.4).',
    })
  if (!cert.ocspNoCheck)
    problems.push({
      severity: 'warning',
      message:
        'The OCSP responder certificate lacks id-pkix-ocsp-nocheck: clients cannot tell how to check its own revocation (RFC 6960 §4.2.2.2.1).',
    })
  return problems
}
