// The JSON report, schema version 1 (../shared/DESIGN.md "Report"). Fields
// beyond the contract are additions; none of the contract's are renamed.
import type { ChainOrigin } from '../chain/index.js'
import type { SkippedPath } from '../load/types.js'
import type { FileKind, Finding, Revocation, Role } from '../model/types.js'

export type { SkippedPath }

export interface CertificateReport {
  file: string
  line: number
  index: number
  subject: string
  issuer: string
  serial: string
  sha256: string
  notBefore: string
  notAfter: string
  role: Role
  revocation: Revocation
  findings: Finding[]
  /** The path built above this certificate, issuer first, ending at the anchor when one was reached. */
  chain?: ChainLink[]
  /** valid: to a trusted anchor with no problem; incomplete: no anchor reached; invalid: problems on the path. */
  chainStatus?: 'valid' | 'incomplete' | 'invalid'
  /** True when this certificate makes the gate fail. */
  failed: boolean
}

/** One certificate above another on its path. */
export interface ChainLink {
  sha256: string
  subject: string
  /** Where it came from: a scanned file, --issuer, --trust, the system root store, or a caIssuers URL. */
  origin: ChainOrigin
  /** For origin caIssuers: the URL it was fetched from. */
  url?: string
  /** Kept for reports read before `origin`: the file it was read from, 'system roots' or the caIssuers URL (line 1). */
  file: string
  line: number
  /** True for the trust anchor the path ends at. */
  anchor?: boolean
}

export interface FileReport {
  file: string
  kind: FileKind
  findings: Finding[]
  /** For a stored OCSP response: its verdict. */
  revocation?: Revocation
  serial?: string
  /** Number of certificates loaded from the file. */
  certificates: number
  failed: boolean
}

export interface EndpointReport {
  host: string
  port: number
  /** The address connected to, when `--resolve` named one. */
  address?: string
  stapled: boolean
  revocation?: Revocation
  findings: Finding[]
  failed: boolean
}

export interface ReportSummary {
  files: number
  certificates: number
  endpoints: number
  errors: number
  warnings: number
  ignored: number
  revoked: number
  /** Certificates, files and endpoints that make the gate fail. */
  failed: number
  /** One line per reason the gate failed, most severe first. */
  reasons: string[]
}

/** When only part of the files was checked: which part, and of what. */
export interface ReportScope {
  /** "shard 2/4", "files changed by pull request #12". */
  label: string
  /**
   * SHA-256 (hex) over the whole run's sorted file list and endpoints, before
   * the scope: the shards of one run carry the same, so `merge` can refuse
   * shards of different file sets.
   */
  inputs: string
}

export interface Report {
  version: 1
  result: 'pass' | 'fail'
  /** The clock every judgement was made against. */
  now: string
  profile: string
  scope?: ReportScope
  summary: ReportSummary
  certificates: CertificateReport[]
  files: FileReport[]
  endpoints: EndpointReport[]
  /** Every directory or file left out of the search (excluded, node_modules, symlinks not followed). */
  skipped: SkippedPath[]
  /** What a reader must know about how the run was set up: which config applied, why every file was checked. */
  notes?: string[]
}
