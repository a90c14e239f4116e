// What a certificate's verdict rested on besides the certificate itself: the
// CRLs and OCSP responses its revocation check used. The network stages
// gather these facts; the evidence rules (src/rules/, EvidenceRule) judge
// them, so a CA's CRL published with a year of validity is reported on the
// certificates that depended on it, with its URL.

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
