import { KEY_USAGE, OID, type Cert } from '../model/cert.js'
import { isV1Root } from './issuance.js'
import { nameConstraintViolations } from './name-constraints.js'
import type { PathProblem } from './types.js'
import { appendAll } from '../model/append.js'

/**
 * Extensions certgate processes (RFC 5280 §4.2) or that carry no constraint
 * a relying party must enforce (policies, TLS Feature). Any other critical
 * extension makes the certificate unusable (§4.2: a relying party MUST
 * reject a certificate with a critical extension it does not recognise).
 */
const PROCESSED_EXTENSIONS = new Set([
  '2.5.29.15', // keyUsage
  '2.5.29.17', // subjectAltName
  '2.5.29.19', // basicConstraints
  '2.5.29.30', // nameConstraints
  '2.5.29.37', // extKeyUsage
  '2.5.29.32', // certificatePolicies
  '2.5.29.36', // policyConstraints
  '2.5.29.54', // inhibitAnyPolicy
  '2.5.29.31', // cRLDistributionPoints
  '2.5.29.18', // issuerAltName
  OID.tlsFeature,
])

/** Extensions RFC 5280 requires to be non-critical: a critical one is a malformed certificate. */
const MUST_BE_NON_CRITICAL: Record<string, string> = {
  '2.5.29.35': 'authorityKeyIdentifier (RFC 5280 §4.2.1.1)',
  '2.5.29.14': 'subjectKeyIdentifier (RFC 5280 §4.2.1.2)',
  '1.3.6.1.5.5.7.1.1': 'authorityInfoAccess (RFC 5280 §4.2.2.1)',
}

export interface ValidationOptions {
  now: Date
  purpose: 'server' | 'client' | 'any'
}

/**
 * Validates a built path, certificate first and trust anchor last
 * (RFC 5280 §6.1.3/§6.1.4 as far as certgate enforces it): validity at
 * `now` of every certificate (anchor included, as OpenSSL and browsers do),
 * cA on every issuer (a self-signed v1 root has no basicConstraints and is
 * accepted, as OpenSSL does), pathLenConstraint (self-issued intermediates do not
 * count), keyCertSign on issuers that carry keyUsage, critical extensions,
 * name constraints, and the leaf's EKU for the purpose. Signatures were
 * checked while the path was built.
 */
export function validatePath(path: readonly Cert[], options: ValidationOptions): PathProblem[] {
  const problems: PathProblem[] = []
  path.forEach((cert, i) => {
    appendAll(problems, validityProblems(cert, options.now))
    appendAll(problems, extensionProblems(cert))
    appendAll(
      problems,
      i === 0 ? leafProblems(cert, options.purpose, path.length > 1) : issuerProblems(path, i),
    )
  })
  return problems
}

function validityProblems(cert: Cert, now: Date): PathProblem[] {
  if (now < cert.notBefore)
    return [
      {
        rule: 'not-yet-valid',
        cert,
        message: `${cert.subject} is not valid until ${cert.notBefore.toISOString()}`,
      },
    ]
  if (now > cert.notAfter)
    return [{ rule: 'expired', cert, message: `${cert.subject} expired at ${cert.notAfter.toISOString()}` }]
  return []
}

function extensionProblems(cert: Cert): PathProblem[] {
  return cert.extensions
    .filter((e) => e.critical && !PROCESSED_EXTENSIONS.has(e.oid))
    .map((e) => ({
      rule: 'critical-extension-unsupported' as const,
      cert,
      message:
        e.oid in MUST_BE_NON_CRITICAL
          ? `${cert.subject} marks ${MUST_BE_NON_CRITICAL[e.oid]} critical, which it must not be`
          : `${cert.subject} has critical extension ${e.oid}, which certgate does not process`,
    }))
}

function leafProblems(leaf: Cert, purpose: ValidationOptions['purpose'], hasIssuer: boolean): PathProblem[] {
  const problems: PathProblem[] = []
  const isCa = leaf.basicConstraints?.ca === true
  if (!isCa && leaf.keyUsage && leaf.keyUsage.flags & KEY_USAGE.keyCertSign) {
    problems.push({
      rule: 'key-usage-invalid',
      cert: leaf,
      message: `${leaf.subject} asserts keyCertSign without being a CA (RFC 5280 §4.2.1.3)`,
    })
  }
  if (!isCa && hasIssuer && leaf.nameConstraints) {
    problems.push({
      rule: 'name-constraints-violated',
      cert: leaf,
      message: `${leaf.subject} is not a CA but carries name constraints (RFC 5280 §4.2.1.10)`,
    })
  }
  const eku = leaf.extKeyUsage?.oids
  const wanted = purpose === 'server' ? OID.serverAuth : purpose === 'client' ? OID.clientAuth : undefined
  // The purpose is the end entity's; a CA's EKU is not judged here.
  if (!isCa && wanted && eku && !eku.includes(wanted) && !eku.includes(OID.anyExtendedKeyUsage)) {
    problems.push({
      rule: 'eku-server-auth-missing',
      cert: leaf,
      message: `${leaf.subject} has extendedKeyUsage without ${purpose === 'server' ? 'serverAuth' : 'clientAuth'} (RFC 5280 §4.2.1.12)`,
    })
  }
  return problems
}

/** CA checks for path[i], the issuer of path[i - 1]. */
function issuerProblems(path: readonly Cert[], i: number): PathProblem[] {
  const ca = path[i]
  const problems: PathProblem[] = []
  if (ca.basicConstraints?.ca !== true && !isV1Root(ca)) {
    problems.push({
      rule: 'basic-constraints-issuer-not-ca',
      cert: ca,
      message: `${ca.subject} issues ${path[i - 1].subject} but ${ca.basicConstraints ? 'has cA=FALSE' : 'has no basicConstraints'} (RFC 5280 §6.1.4 (k))`,
    })
  }
  const pathLength = ca.basicConstraints?.pathLength
  // Intermediates below this CA, not counting the leaf or self-issued CAs (§6.1.4 (l)).
  const below = path.slice(1, i).filter((c) => !c.selfIssued).length
  if (ca.basicConstraints?.ca && pathLength !== undefined && below > pathLength) {
    problems.push({
      rule: 'path-length-exceeded',
      cert: ca,
      message: `${ca.subject} allows ${pathLength} intermediate CA(s) below it (pathLenConstraint) but the path has ${below}`,
    })
  }
  if (ca.keyUsage && !(ca.keyUsage.flags & KEY_USAGE.keyCertSign)) {
    problems.push({
      rule: 'key-usage-invalid',
      cert: ca,
      message: `${ca.subject} issues certificates but its keyUsage lacks keyCertSign (RFC 5280 §4.2.1.3)`,
    })
  }
  if (ca.nameConstraints) {
    // Self-issued intermediates are exempt; the leaf never is (§6.1.3 (b)).
    path.slice(0, i).forEach((subject, j) => {
      if (j > 0 && subject.selfIssued) return
      for (const message of nameConstraintViolations(subject, ca)) {
        problems.push({ rule: 'name-constraints-violated', cert: subject, message })
      }
    })
  }
  return problems
}
