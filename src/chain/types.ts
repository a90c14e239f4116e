import type { RunDeadline } from '../net/deadline.js'
import type { Cert } from '../model/cert.js'
import type { IssuerPool } from './pool.js'
import type { TrustAnchors } from './anchors.js'
import type { Advise } from '../setting-names.js'

/**
 * How the certificates of one file read as a served chain (leaf first, each
 * certificate issued by the next, RFC 8446 §4.4.2 / RFC 5246 §7.4.2).
 * Computed once per file; the chain-* rules only report what is here.
 */
export interface ServedChainAnalysis {
  /** More than one certificate and at least one issuance link between them. */
  isChain: boolean
  /** index in file → why this certificate is out of place. */
  outOfOrder: ReadonlyMap<number, string>
  /** index in file → index of its first copy in the same file. */
  duplicateOf: ReadonlyMap<number, number>
  /** indices of self-signed roots included in the served chain. */
  roots: readonly number[]
}

/**
 * A file judged as the chain a server sends (served-path.ts): only that
 * file's certificates and the trust anchors, as a client has them.
 */
export interface ServedPathJudgement {
  /** index in file → why the certificate is on no path of the file's leaf (chain-unrelated). */
  unrelated: ReadonlyMap<number, string>
  /** The leaf's path needs a certificate the file lacks (chain-incomplete on the leaf at `index`). */
  incomplete?: { index: number; message: string }
}

/** A problem found while validating one certificate on a path, owned by a rule id. */
export interface PathProblem {
  rule:
    | 'signature-invalid'
    | 'basic-constraints-issuer-not-ca'
    | 'path-length-exceeded'
    | 'chain-incomplete'
    | 'key-usage-invalid'
    | 'expired'
    | 'not-yet-valid'
    | 'name-constraints-violated'
    | 'critical-extension-unsupported'
    | 'eku-server-auth-missing'
  /** The certificate on the path the problem is about (the issuer for CA problems). */
  cert: Cert
  message: string
}

export type AnchorSource = 'scan' | 'issuer' | 'trust' | 'system' | 'aia'

/** The result of building and validating one certificate's path to a trust anchor. */
export interface PathResult {
  /** valid: a path to a trusted anchor with no problem; incomplete: no anchor reached; invalid: problems. */
  status: 'valid' | 'incomplete' | 'invalid'
  /** The certificate first, then its issuers, up to and including the anchor when found. */
  path: Cert[]
  anchorSource?: AnchorSource
  problems: PathProblem[]
}

/** Fetches a caIssuers URL (RFC 5280 §4.2.2.1); null when nothing usable came back. The caller does the HTTP. */
export type IssuerFetcher = (url: string) => Promise<Uint8Array | null>

/** What buildPath needs to find and judge a certificate's path. */
export interface PathContext {
  /** Candidate issuers: every scanned certificate and the --issuer certificates. */
  pool: IssuerPool
  /** Where a path may end. */
  anchors: TrustAnchors
  /** Every validity judgement is made against this clock. */
  now: Date
  /** Leaf purpose: 'server' requires serverAuth when the leaf has an EKU extension. */
  purpose?: 'server' | 'client' | 'any'
  /** Most CA certificates allowed between the certificate and its anchor (default 8). */
  maxIntermediates?: number
  fetchIssuer?: IssuerFetcher
  /** The run's deadline: past it caIssuers are no longer fetched, and a missing issuer says so. */
  deadline?: RunDeadline
  /** Names --trust and --issuer in advice the way the user can set them (the command line's flags unless given). */
  advise?: Advise
}
