import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs'
import { buildCert } from '../model/build.js'
import { pkijs, x509 } from '../model/libraries.js'
import { injectFault, internalErrorFinding } from '../contain.js'
import { parserMessage } from '../model/parser-message.js'
import type { FileKind } from '../model/types.js'
import {
  checkDerLength,
  DER_CONTENT_NAMES,
  derEncodingProblem,
  type DerContent,
  firstElementLength,
  sniffDer,
  sniffPrivateKey,
} from './der.js'
import { findPemBlocks, looksLikePem, type PemBlock } from './pem.js'
import { displayPath, type FsPath } from './fs-path.js'
import { readPkcs7 } from './pkcs7.js'
import type { DiscoveredFile, LoadedFile } from './types.js'

/** Files larger than this are not read: no certificate bundle comes near it, and a stray dump must not exhaust memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024

/** Stored OCSP responses (Caddy's staples, nginx's ssl_stapling_file) are DER with no recognisable header of their own. */
const OCSP_FILE = /\.(ocsp|der-staple)$/i

const PEM_LABELS: Record<string, DerContent> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  PKCS7: 'pkcs7',
  CMS: 'pkcs7',
  'OCSP RESPONSE': 'ocsp-response',
  'X509 CRL': 'crl',
}
const CSR_LABELS = new Set(['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST'])

/** Where a blob sits: its line, and how findings about it are prefixed. */
interface Origin {
  line: number
  /** 'PEM block at line 12 (CERTIFICATE): ' for a PEM block, '' for a DER file. */
  prefix: string
  container: 'file' | 'PEM block'
}

/** Gathers what one file holds; certificates are numbered in file order. */
class FileContents {
  readonly loaded: LoadedFile

  constructor(absolutePath: string, cwd: string, realPath?: string) {
    this.loaded = {
      file: displayPath(absolutePath, cwd),
      absolutePath,
      ...(realPath ? { realPath } : {}),
      kind: 'unreadable',
      certs: [],
      ocspResponses: [],
      crls: [],
      findings: [],
    }
  }

  parseError(message: string, line?: number): void {
    this.loaded.findings.push({ rule: 'parse-error', severity: 'error', message, ...(line ? { line } : {}) })
  }

  /** Parses one blob of known content; every failure becomes a parse-error on its line. */
  add(der: Uint8Array, content: DerContent, origin: Origin, trusted = false): void {
    // openssl's TRUSTED CERTIFICATE is the certificate followed by its trust settings (X509_CERT_AUX).
    const body = trusted ? der.slice(0, firstElementLength(der) ?? der.length) : der
    const envelope =
      trusted && body.length < der.length ? undefined : checkDerLength(body, content, origin.container)
    if (envelope) return this.parseError(origin.prefix + envelope, origin.line)
    // CMS allows BER (RFC 5652 §1), so a bundle is parsed leniently; each certificate in it is checked here again.
    const encoding = content === 'pkcs7' ? undefined : derEncodingProblem(body)
    if (encoding) {
      return this.parseError(
        `${origin.prefix}not a DER-encoded ${DER_CONTENT_NAMES[content]}: ${encoding}`,
        origin.line,
      )
    }
    try {
      this.addParsed(body, content, origin)
    } catch (error) {
      const article = content === 'ocsp-response' ? 'an' : 'a'
      const reason = parserMessage(error)
      const detail = content === 'pkcs7' ? reason : `ASN.1 parse failed (${reason})`
      this.parseError(`${origin.prefix}not ${article} ${DER_CONTENT_NAMES[content]}: ${detail}`, origin.line)
    }
  }

  private addParsed(der: Uint8Array, content: DerContent, origin: Origin): void {
    const { loaded } = this
    const { line } = origin
    switch (content) {
      case 'certificate':
        loaded.certs.push(buildCert(der, { file: loaded.file, line, index: loaded.certs.length }))
        return
      case 'pkcs7': {
        const { certificates, crls, others } = readPkcs7(der)
        if (others > 0) {
          // A member certgate cannot read may be the certificate the bundle exists for; it must not vanish.
          this.parseError(
            `${origin.prefix}the PKCS#7 bundle holds ${others} entries that are not X.509 certificates or CRLs; they were not checked`,
            line,
          )
        } else if (certificates.length === 0 && crls.length === 0) {
          return this.parseError(`${origin.prefix}the PKCS#7 bundle holds no certificates`, line)
        }
        for (const cert of certificates) this.add(cert, 'certificate', origin)
        for (const crl of crls) this.add(crl, 'crl', origin)
        return
      }
      case 'ocsp-response':
        pkijs().OCSPResponse.fromBER(der)
        loaded.ocspResponses.push({ der, line })
        return
      case 'crl':
        new (x509().X509Crl)(der)
        loaded.crls.push({ der, line })
        return
    }
  }

  /** A private key found at `line`, named by its kind only: key material never reaches a report. */
  privateKey(kind: string, line: number): void {
    this.loaded.findings.push({
      rule: 'private-key-in-file',
      severity: 'warning',
      message: `private key (${kind}) in a scanned file: keep keys out of the repository`,
      line,
    })
  }

  addPemBlock(block: PemBlock): void {
    const { label, line } = block
    if (block.secret) return this.privateKey(`${label} block`, line)
    if (block.error) return this.parseError(block.error, line)
    if (CSR_LABELS.has(label)) {
      return this.parseError(
        `PEM block at line ${line} holds a certificate signing request, not a certificate`,
        line,
      )
    }
    const content = PEM_LABELS[label]
    if (!content || !block.der) return
    // A key pasted under a certificate's label is still a key: it must be reported, never parsed into a message.
    const key = sniffPrivateKey(block.der)
    if (key) return this.privateKey(`${key} in a ${label} block`, line)
    const origin: Origin = { line, prefix: `PEM block at line ${line} (${label}): `, container: 'PEM block' }
    this.add(block.der, content, origin, label === 'TRUSTED CERTIFICATE')
  }

  /** Settles the kind, and says so when the file held nothing certgate could use or name. */
  finish(otherLabels: string[]): LoadedFile {
    const { loaded } = this
    loaded.kind = kindOf(loaded)
    if (loaded.kind === 'unreadable' && loaded.findings.length === 0) {
      const labels = [...new Set(otherLabels)]
      this.parseError(`no certificate found${labels.length ? ` (PEM blocks: ${labels.join(', ')})` : ''}`, 1)
    }
    return loaded
  }
}

function kindOf(loaded: LoadedFile): FileKind {
  if (loaded.certs.length > 0) return 'certificates'
  if (loaded.ocspResponses.length > 0) return 'ocsp-response'
  if (loaded.crls.length > 0) return 'crl'
  return 'unreadable'
}

/**
 * Loads one file: PEM with any number of blocks, or DER (certificate,
 * PKCS#7 bundle, OCSP response, CRL). Never throws: whatever is wrong with
 * the file becomes a finding on it, so one bad file cannot stop the gate
 * from checking the others (DESIGN: bad input never crashes the run).
 * A discovered file with a refusal is reported without being opened.
 */
export async function loadFile(file: DiscoveredFile | string, cwd: string): Promise<LoadedFile> {
  const { path, fsPath, realPath, refusal } =
    typeof file === 'string' ? { path: file, fsPath: file, realPath: undefined, refusal: undefined } : file
  const contents = new FileContents(path, cwd, realPath)
  if (refusal) {
    contents.parseError(`not read: ${refusal}`, 1)
    return contents.loaded
  }
  try {
    injectFault('load', contents.loaded.file)
    const bytes = readCapped(fsPath, (message) => contents.parseError(message, 1))
    if (!bytes) return contents.loaded
    return loadBytes(bytes, path, contents)
  } catch (error) {
    // Each blob's parse errors are caught where it is parsed: only a bug in
    // certgate gets here. It must not stop the run, nor pass for a verdict on the input.
    contents.loaded.findings.push({ ...internalErrorFinding('loading this file', error), line: 1 })
    return contents.loaded
  }
}

// Synchronous on purpose: certificate files are a few KB, and fs/promises'
// five thread-pool round trips per file cost five times the CPU of the read
// itself (0.6 s per 10,000 files); loadFiles yields to the event loop between
// batches instead. Also reads the private keys --key names (src/keys/): the
// same refusals and cap apply to them. `fail` hears why nothing was read.
export function readCapped(fsPath: FsPath, fail: (message: string) => void): Uint8Array | undefined {
  let fd: number
  try {
    // O_NONBLOCK: opening a FIFO without a writer would otherwise wait for ever; on a regular file it changes nothing.
    fd = openSync(fsPath, constants.O_RDONLY | constants.O_NONBLOCK)
  } catch (error) {
    fail(`cannot read the file: ${describeFsError(error)}`)
    return undefined
  }
  try {
    // Judged on the open file, so a file swapped for a FIFO or device after discovery is not read either.
    const stats = fstatSync(fd)
    if (!stats.isFile()) {
      fail(`not a regular file: ${fileType(stats)}; certificates are read from regular files only`)
      return undefined
    }
    if (stats.size > MAX_FILE_BYTES) {
      fail(`file is ${(stats.size / 1e6).toFixed(1)} MB, over the 16 MiB limit`)
      return undefined
    }
    // The cap counts bytes actually read: stat sizes can lie (files under /proc say 0). One byte more
    // than stat promised shows the end of the file, or that it holds more.
    let buffer = Buffer.allocUnsafe(stats.size + 1)
    let length = 0
    for (;;) {
      if (length === buffer.length) {
        if (length > MAX_FILE_BYTES) {
          fail(`file is over the 16 MiB limit (its size was given as ${stats.size} bytes)`)
          return undefined
        }
        const grown = Buffer.allocUnsafe(Math.min(MAX_FILE_BYTES + 1, 2 * length + 64 * 1024))
        buffer.copy(grown)
        buffer = grown
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null)
      if (read === 0) break
      length += read
    }
    return new Uint8Array(buffer.buffer, buffer.byteOffset, length)
  } catch (error) {
    fail(`cannot read the file: ${describeFsError(error)}`)
    return undefined
  } finally {
    closeSync(fd)
  }
}

function fileType(stats: Stats): string {
  if (stats.isFIFO()) return 'a named pipe (FIFO)'
  if (stats.isSocket()) return 'a socket'
  if (stats.isDirectory()) return 'a directory'
  return 'a device'
}

function loadBytes(bytes: Uint8Array, absolutePath: string, contents: FileContents): LoadedFile {
  if (bytes.length === 0) {
    contents.parseError('file is empty', 1)
    return contents.loaded
  }
  if (looksLikePem(bytes)) {
    const blocks = findPemBlocks(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'),
    )
    for (const block of blocks) contents.addPemBlock(block)
    return contents.finish(blocks.map((b) => b.label))
  }
  const key = sniffPrivateKey(bytes)
  if (key) {
    contents.privateKey(`${key}, DER`, 1)
    return contents.finish([])
  }
  const content = OCSP_FILE.test(absolutePath)
    ? 'ocsp-response'
    : (sniffDer(bytes) ?? (bytes[0] === 0x30 ? 'certificate' : undefined))
  if (!content) {
    contents.parseError('no certificate found: the file holds neither a PEM block nor DER data', 1)
    return contents.loaded
  }
  contents.add(bytes, content, { line: 1, prefix: '', container: 'file' })
  return contents.finish([])
}

/** 'permission denied (EACCES)' from Node's "EACCES: permission denied, open '/x'". */
function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code
  const match = /^[A-Z]+: ([^,]+)/.exec(parserMessage(error))
  return code && match ? `${match[1]} (${code})` : parserMessage(error)
}
