// The vocabulary of certgate. Every module speaks these types; the report is
// built from them. Data flows one way: load → chain → rules + revocation →
// policy → report.

export type Severity = 'error' | 'warning' | 'info'
export type Profile = 'public-tls' | 'private-tls' | 'client-tls' | 'rfc5280'
export const PROFILES: readonly Profile[] = ['public-tls', 'private-tls', 'client-tls', 'rfc5280']
export type Role = 'leaf' | 'intermediate' | 'root'

/** Where a certificate (or finding) came from: 1-based line of its PEM BEGIN line (1 for DER). */
export interface SourcePosition {
  file: string
  line: number
  /** 0-based index of the certificate within its file. */
  index: number
}

export interface Finding {
  rule: string
  severity: Severity
  message: string
  /** 1-based line the finding points at, when it is more precise than the file. */
  line?: number
  /** Set when a configured ignore matched: the finding is shown but does not count. */
  ignored?: string
}

export type RevocationStatus =
  'good' | 'revoked' | 'unknown' | 'stale' | 'invalid' | 'unreachable' | 'exempt' | 'skipped'

export type RevocationSource = 'ocsp' | 'crl' | 'staple' | 'none'

export interface Revocation {
  source: RevocationSource
  status: RevocationStatus
  url?: string
  thisUpdate?: string
  nextUpdate?: string
  producedAt?: string
  revokedAt?: string
  reason?: string
  detail?: string
  /** The response or CRL was read from --cache-dir, not downloaded in this run (absent otherwise). */
  cached?: true
}

/**
 * 'config': the config file, in the report only to carry findings about it (ignore-unused).
 * 'private-key': a file --key named (src/keys/), there to carry key-mismatch and key-encrypted.
 * 'server-config': an nginx or Apache configuration given with --server-config, or a file it includes.
 */
export type FileKind =
  'certificates' | 'ocsp-response' | 'crl' | 'unreadable' | 'config' | 'private-key' | 'server-config'
