// Every rule certgate knows, in the order reports and the README list them.
// Adding a rule: write src/rules/<id>.ts and its test, then add it here.
import type { EvidenceRule, Rule, RuleInfo, ServerBlockRule } from './rule.js'
import { rule as parseError } from './parse-error.js'
import { rule as privateKeyInFile } from './private-key-in-file.js'
import { rule as internalError } from './internal-error.js'
import { rule as chainOrder } from './chain-order.js'
import { rule as chainDuplicate } from './chain-duplicate.js'
import { rule as chainContainsRoot } from './chain-contains-root.js'
import { rule as chainIncomplete } from './chain-incomplete.js'
import { rule as chainUnrelated } from './chain-unrelated.js'
import { rule as signatureInvalid } from './signature-invalid.js'
import { rule as basicConstraintsIssuerNotCa } from './basic-constraints-issuer-not-ca.js'
import { rule as pathLengthExceeded } from './path-length-exceeded.js'
import { rule as nameConstraintsViolated } from './name-constraints-violated.js'
import { rule as criticalExtensionUnsupported } from './critical-extension-unsupported.js'
import { rule as aiaOcspMissing } from './aia-ocsp-missing.js'
import { rule as aiaOcspNotHttp } from './aia-ocsp-not-http.js'
import { rule as aiaCaIssuersMissing } from './aia-ca-issuers-missing.js'
import { rule as crlDpMissing } from './crl-dp-missing.js'
import { rule as noRevocationSource } from './no-revocation-source.js'
import { rule as mustStapleNoOcsp } from './must-staple-no-ocsp.js'
import { rule as keyUsageMissing } from './key-usage-missing.js'
import { rule as keyUsageInvalid } from './key-usage-invalid.js'
import { rule as ekuServerAuthMissing } from './eku-server-auth-missing.js'
import { rule as basicConstraintsCaLeaf } from './basic-constraints-ca-leaf.js'
import { rule as ocspResponderCertInvalid } from './ocsp-responder-cert-invalid.js'
import { rule as expired } from './expired.js'
import { rule as notYetValid } from './not-yet-valid.js'
import { rule as expiresSoon } from './expires-soon.js'
import { rule as weakKey } from './weak-key.js'
import { rule as weakSignature } from './weak-signature.js'
import { rule as sanMissing } from './san-missing.js'
import { rule as validityTooLong } from './validity-too-long.js'
import { rule as stapleMissing } from './staple-missing.js'
import { rule as stapleStale } from './staple-stale.js'
import { rule as endpointUnreachable } from './endpoint-unreachable.js'
import { rule as crlValidityTooLong } from './crl-validity-too-long.js'
import { rule as crlTooLarge } from './crl-too-large.js'
import { rule as ocspValidityInterval } from './ocsp-validity-interval.js'
import { rule as sctMissing } from './sct-missing.js'
import { rule as sctInvalid } from './sct-invalid.js'
import { rule as renewalDue } from './renewal-due.js'
import { rule as ignoreUnused } from './ignore-unused.js'
import { rule as endpointNameMismatch } from './endpoint-name-mismatch.js'
import { rule as endpointDrift } from './endpoint-drift.js'
import { rule as keyMismatch } from './key-mismatch.js'
import { rule as keyEncrypted } from './key-encrypted.js'
import { rule as nameNotCovered } from './name-not-covered.js'
import { rule as staplingNoResolver } from './stapling-no-resolver.js'
import { rule as staplingVerifyNoTrust } from './stapling-verify-no-trust.js'
import { rule as staplingNoOcspUrl } from './stapling-no-ocsp-url.js'
import { rule as staplingNoCache } from './stapling-no-cache.js'
import { rule as mustStapleStaplingOff } from './must-staple-stapling-off.js'
import { rule as serverKeyMismatch } from './server-key-mismatch.js'

/** Rules run on each certificate. */
export const certificateRules: readonly Rule[] = [
  chainOrder,
  chainDuplicate,
  chainContainsRoot,
  chainIncomplete,
  chainUnrelated,
  signatureInvalid,
  basicConstraintsIssuerNotCa,
  pathLengthExceeded,
  nameConstraintsViolated,
  criticalExtensionUnsupported,
  expired,
  notYetValid,
  expiresSoon,
  basicConstraintsCaLeaf,
  keyUsageMissing,
  keyUsageInvalid,
  ekuServerAuthMissing,
  sanMissing,
  nameNotCovered,
  weakKey,
  weakSignature,
  validityTooLong,
  aiaOcspMissing,
  aiaOcspNotHttp,
  aiaCaIssuersMissing,
  crlDpMissing,
  noRevocationSource,
  mustStapleNoOcsp,
  ocspResponderCertInvalid,
]

/** Rules run on what the network stages gathered about each certificate (its CRLs, OCSP responses, …). */
export const evidenceRules: readonly EvidenceRule[] = [
  crlValidityTooLong,
  crlTooLarge,
  ocspValidityInterval,
  sctMissing,
  sctInvalid,
  renewalDue,
]

/** Rules run on each certificate a server block (--server-config) serves; findings go on the configuration. */
export const serverBlockRules: readonly ServerBlockRule[] = [
  serverKeyMismatch,
  mustStapleStaplingOff,
  staplingNoOcspUrl,
  staplingNoResolver,
  staplingVerifyNoTrust,
  staplingNoCache,
]

/** Rules reported by other stages (the loader, endpoints): documentation and SARIF metadata only. */
export const reportedRules: readonly RuleInfo[] = [
  parseError,
  privateKeyInFile,
  endpointUnreachable,
  endpointNameMismatch,
  endpointDrift,
  keyMismatch,
  keyEncrypted,
  stapleMissing,
  stapleStale,
  ignoreUnused,
  internalError,
]

export const allRuleInfos: readonly RuleInfo[] = [
  ...reportedRules,
  ...certificateRules,
  ...evidenceRules,
  ...serverBlockRules,
]

export const ruleIds: ReadonlySet<string> = new Set(allRuleInfos.map((r) => r.id))
