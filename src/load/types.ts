import type { Cert } from '../model/cert.js'
import type { FileKind, Finding } from '../model/types.js'

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
  kind: FileKind
  certs: Cert[]
  ocspResponses: LoadedBlob[]
  crls: LoadedBlob[]
  /** parse-error, private-key-in-file, ... (file-level findings). */
  findings: Finding[]
}
