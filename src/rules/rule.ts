import type { Cert } from '../model/cert.js'
import type { Profile, Role, Severity } from '../model/types.js'
import type { PathResult, ServedChainAnalysis, ServedPathJudgement } from '../chain/types.js'
import type { Located, ServedPair, ServerBlock } from '../server-config/model.js'
import type { CtEvidence, RenewalEvidence, RevocationEvidence } from '../model/evidence.js'

/** Everything a rule may read about one certificate. Rules never do I/O or crypto. */
export interface RuleContext {
  cert: Cert
  role: Role
  /** The other certificates of the same file, in file order (cert is among them). */
  fileCerts: readonly Cert[]
  /** Served-chain reading of the file the certificate is in. */
  served: ServedChainAnalysis
  /** The file judged as a server sending it would be; absent when the file is not a served chain. */
  servedPath?: ServedPathJudgement
  /** The validated path for this certificate, when one was built (leaves and intermediates). */
  path?: PathResult
  /** The issuer found for this certificate, if any. */
  issuer?: Cert
  profile: Profile
  /** Every time judgement is made against this clock (`--now`). */
  now: Date
  /** `--expiry-warning` and `--expiry-error` in milliseconds. */
  expiryWarningMs: number
  expiryErrorMs: number
  /** Names the user expects this certificate's file to serve (--expect-name, config expect). */
  expectedNames?: readonly string[]
}

/** What a rule reports; severity defaults to the rule's severity for the profile. */
export interface RuleResult {
  message: string
  severity?: Severity
  line?: number
}

/** A rule's identity and documentation; rules reported by the loader or endpoints are only this. */
export interface RuleInfo {
  /** Stable identifier from the contract, e.g. 'chain-order'. */
  id: string
  /** One line: what the finding means to an operator. */
  description: string
  /** The requirement it enforces, e.g. 'RFC 5280 §4.2.1.3' or 'CA/B BR 7.1.2.7.7'. */
  citation: string
  /** Default severity in each profile; a profile that is absent does not run the rule. */
  severity: Partial<Record<Profile, Severity>>
  /**
   * Date the requirement took effect (ISO date). The rule judges a
   * certificate only when its notBefore is on or after this date, so old
   * certificates are not flagged by newer requirements.
   */
  effective?: string
}

/** A rule over one kind of context; every context names a certificate and the profile in force. */
export interface RuleOf<C extends { cert: Cert; profile: Profile }> extends RuleInfo {
  appliesTo(ctx: C): boolean
  check(ctx: C): RuleResult[]
}

/** A rule that judges one certificate at a time. */
export type Rule = RuleOf<RuleContext>

/**
 * What the later stages learnt about one certificate: the CRLs and OCSP
 * responses its revocation verdict rested on and, for leaves, its CT
 * proofs and the CA's renewal information. Evidence rules judge these after the revocation stage, and their
 * findings go on the certificate.
 */
export interface EvidenceContext {
  cert: Cert
  role: Role
  profile: Profile
  /** Every time judgement is made against this clock (`--now`). */
  now: Date
  /** The validated path for this certificate, when one was built. */
  path?: PathResult
  revocation: RevocationEvidence
  /** Leaves only: the embedded SCTs, verified when a log list was given. */
  ct?: CtEvidence
  /** Leaves only, with --ari: what the CA's ACME server says about renewing it. */
  renewal?: RenewalEvidence
}

/** A rule that judges the evidence gathered about a certificate (CRLs, OCSP responses, …). */
export type EvidenceRule = RuleOf<EvidenceContext>

/** What the server does with a private key a block names, found before the rules run (rules do no crypto). */
export type KeyPairing =
  | { status: 'match' | 'mismatch' }
  /** The key could not be compared: unreadable, encrypted, no key in the file. */
  | { status: 'unusable'; reason: string }

/**
 * One certificate a server block serves (nginx `server {}`, Apache
 * `<VirtualHost>`), with what the server has beside it to staple.
 */
export interface ServerBlockContext {
  /** The leaf: the first certificate of ssl_certificate / SSLCertificateFile. */
  cert: Cert
  profile: Profile
  block: ServerBlock
  pair: ServedPair
  /** The issuer of the leaf is among the certificates sent after it or the trusted file. */
  issuerAvailable: boolean
  key?: KeyPairing
}

/** What a server-configuration rule reports: the directive it is about, in whichever file that is. */
export interface ConfigRuleResult {
  message: string
  severity?: Severity
  at: Pick<Located, 'file' | 'line'>
}

/** A rule over a server block; its findings go on the configuration, at the directive. */
export interface ServerBlockRule extends RuleInfo {
  appliesTo(ctx: ServerBlockContext): boolean
  check(ctx: ServerBlockContext): ConfigRuleResult[]
}
