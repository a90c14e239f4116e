import type { Cert } from '../model/cert.js'
import type { FileKind, Finding } from '../model/types.js'
import type { FsPath } from './fs-path.js'

/** A directory or file left out of the search, and why. */
export interface SkippedPath {
  /** As reports show paths: relative to the working directory when inside it. */
  path: string
  reason: string
}

/** A file discovery chose: what to open, how to show it, and why not to read it, if so. */
export interface DiscoveredFile {
  /** Absolute path as reached (through symlinks), each byte of a name that is not UTF-8 shown as \xNN. */
  path: string
  /** What the file system is given: the path itself, or its bytes when a name in it is not UTF-8. */
  fsPath: FsPath
  /** The real path (symlinks resolved), shown the same way; for changed-only matching. */
  realPath: string
  /** Why it is reported without being read: it resolves under /proc, /sys or /dev, or outside the workspace. */
  refusal?: string
}

/** An OCSP response or CRL found in a scanned file, kept as DER for the revocation stage. */
export interface LoadedBlob {
  der: Uint8Array
  /** 1-based line of its PEM BEGIN line (1 for DER). */
  line: number
}

/** One input file after loading: what it holds and what was wrong with it. */
export interface LoadedFile {
  /** Path as shown in reports: relative to the working directory when inside it. */
  file: string
  /** Absolute path on disk. */
  absolutePath: string
  /** Real path on disk (symlinks resolved), when the file came from discovery. */
  realPath?: string
  kind: FileKind
  certs: Cert[]
  ocspResponses: LoadedBlob[]
  crls: LoadedBlob[]
  /** parse-error, private-key-in-file, ... (file-level findings). */
  findings: Finding[]
}
