// What a certificate's verdicts rested on besides the certificate itself: the
// CRLs and OCSP responses its revocation check used, its Certificate
// Transparency proofs as checked against the logs, and what its CA says
// about renewal. The stages gather these facts; the evidence rules
// (src/rules/, EvidenceRule) judge them, so a CA's CRL published with a year
// of validity is reported on the certificates that depended on it, with its URL.

/** A CRL that verified (issuer, signature, scope) and was consulted for a certificate. */
export interface CrlEvidence {
  url: string
  thisUpdate: Date
  nextUpdate?: Date
  /** Size of the CRL as DER. */
  bytes: number
}

/** A verified OCSP response about a certificate (from its responder, the cache or a staple). */
export interface OcspEvidence {
  url?: string
  thisUpdate: Date
  nextUpdate?: Date
}

/** Everything used for one certificate's revocation verdict, in the order it was consulted. */
export interface RevocationEvidence {
  crls: CrlEvidence[]
  ocsp: OcspEvidence[]
}

/** One SCT embedded in a certificate, as read and, with --ct-log-list, verified. */
export interface SctEvidence {
  /** Base64 of the log ID, as log lists write it. */
  logId: string
  timestamp: Date
  /** The log as the list names it: absent without a list, or when the list does not know it. */
  log?: { description: string; operator: string; state: string }
  /**
   * Why the SCT does not count towards the CT policy (a bad signature, a log
   * that was not usable at the SCT's time, …); undefined when it verified,
   * or when there was no log list to verify it with.
   */
  problem?: string
  /** How bad the problem is: a log the list does not know is only a warning. */
  problemSeverity?: 'error' | 'warning'
}

/** The Certificate Transparency facts of one leaf. */
export interface CtEvidence {
  scts: SctEvidence[]
  /** The SCT list extension is present but cannot be read. */
  malformed?: string
  /** The SCTs were verified against a log list (--ct-log-list). */
  verified: boolean
  /** --require-sct: every leaf must satisfy the CT policy, whatever it chains to. */
  required: boolean
}

/** What the CA's ACME server says about renewing a leaf (RFC 9773 renewalInfo), asked with --ari. */
export interface RenewalEvidence {
  /** The renewalInfo resource asked (base URL + "/" + certID). */
  url: string
  /** The suggested renewal window; absent when none could be had (see problem). */
  window?: { start: Date; end: Date }
  /** explanationURL: why the CA suggests this window (often an incident report). */
  explanationUrl?: string
  /** From Retry-After: when the CA wants to be asked again. */
  retryAfter?: Date
  /** Why no window could be had: no certID, an unreachable server, an unusable answer. */
  problem?: string
}
