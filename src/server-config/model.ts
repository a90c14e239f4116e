// What certgate reads from an nginx or Apache configuration: one entry per
// server block (nginx `server {}`, Apache `<VirtualHost>`) with the files it
// serves and its stapling settings, each value with the file and line of the
// directive that set it, so every finding lands where the operator edits.
import type { Finding } from '../model/types.js'

export type ServerSoftware = 'nginx' | 'apache'

/** A directive's value and where it was written (after includes, inheritance from http / the main server). */
export interface Located<T = string> {
  value: T
  /** The configuration file holding the directive, as reports show paths. */
  file: string
  /** 1-based line of the directive. */
  line: number
}

/** A simple directive as both dialects read it: lower- or mixed-case name, its arguments, where it stands. */
export interface Directive {
  name: string
  args: string[]
  file: string
  line: number
}

/** A file the directive names, resolved against the server root. */
export interface NamedFile extends Located {
  /** Absolute path on disk. */
  path: string
}

/** One certificate the block serves and the private key configured for it (directives paired in order). */
export interface ServedPair {
  /** nginx ssl_certificate (leaf then chain, as sent); Apache SSLCertificateFile. */
  certificate: NamedFile
  /** ssl_certificate_key / SSLCertificateKeyFile; Apache falls back to the certificate file. */
  key?: NamedFile
}

export interface ServerBlock {
  software: ServerSoftware
  /** Where the block starts (`server {`, `<VirtualHost …>`, or the main server's first TLS directive). */
  at: Located
  /** server_name / ServerName, else the listen address: how messages name the block. */
  name: string
  pairs: ServedPair[]
  /** Apache SSLCertificateChainFile: sent after the certificate. */
  chain?: NamedFile
  /** ssl_trusted_certificate / SSLCACertificateFile: where the server looks for the issuer. */
  trusted?: NamedFile
  /** ssl_stapling / SSLUseStapling (both default off). */
  stapling?: Located<boolean>
  /** nginx ssl_stapling_verify (default off); Apache always verifies what it fetches. */
  staplingVerify?: Located<boolean>
  /** nginx ssl_stapling_file: a stored response served instead of fetching one. */
  staplingFile?: NamedFile
  /** nginx ssl_stapling_responder / Apache SSLStaplingForceURL: overrides the certificate's AIA. */
  staplingResponder?: Located
  /** nginx resolver (first address). */
  resolver?: Located
  /** Apache SSLStaplingCache (global). */
  staplingCache?: Located
}

/** One configuration given with --server-config, and every file it included. */
export interface ServerConfig {
  software?: ServerSoftware
  /** The file given, as reports show it. */
  file: string
  /** Every configuration file read (the given one first, then includes in order), as reports show them. */
  files: string[]
  blocks: ServerBlock[]
  /** Problems reading the configuration, each with the file (as reports show it) it is about. */
  findings: { file: string; finding: Finding }[]
}
