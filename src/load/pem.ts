// PEM (RFC 7468) as found in repositories: blocks inside README-style text,
// YAML values (indented), Windows line ends, bundles of many blocks. Every
// block is located by its BEGIN line so findings point at the right line.

/** One BEGIN … END block of a PEM text. */
export interface PemBlock {
  /** The label between BEGIN and the dashes, e.g. 'CERTIFICATE'. */
  label: string
  /** 1-based line of the BEGIN line. */
  line: number
  /** Decoded content; absent for secret blocks (never decoded) and for blocks with an error. */
  der?: Uint8Array
  /** A private key: its content is not decoded, so it cannot leak into findings or reports. */
  secret: boolean
  /** Why the block could not be decoded, in words for an operator. */
  error?: string
}

const BEGIN = /^-----BEGIN ([A-Z0-9][A-Z0-9 #/_-]*)-----$/
const END = /^-----END ([A-Z0-9][A-Z0-9 #/_-]*)-----$/
// RFC 7468 §2: the strict base64 alphabet; padding only at the end.
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
// RFC 1421 encapsulated headers (Proc-Type, DEK-Info) precede the body of legacy encrypted keys.
const HEADER = /^[A-Za-z][A-Za-z0-9-]*:/

/**
 * True for the labels openssl, OpenSSH and PKCS#8 use for private keys, and
 * for OpenPGP's armored secret keys (RFC 4880 §6.2: "PGP PRIVATE KEY BLOCK").
 */
export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY') || label.includes('PRIVATE KEY BLOCK')
}

/** Quick test whether bytes hold PEM text at all (a BEGIN marker somewhere). */
export function looksLikePem(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('-----BEGIN ')
}

/**
 * Finds every PEM block in `text` with its BEGIN line. Text around blocks is
 * ignored (RFC 7468 §2 allows explanatory text); leading and trailing white
 * space on each line is tolerated; a block whose base64 is malformed or whose
 * END line is missing is returned with `error` so the other blocks still load.
 */
export function findPemBlocks(text: string): PemBlock[] {
  const lines = text.split(/\r\n|\r|\n/)
  const blocks: PemBlock[] = []
  let open: { label: string; line: number; body: string[] } | undefined
  const close = (error?: string): void => {
    if (!open) return
    blocks.push(decodeBlock(open.label, open.line, open.body, error))
    open = undefined
  }
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim()
    const begin = BEGIN.exec(trimmed)
    if (begin) {
      close(`PEM block at line ${open?.line} has no END line before the next BEGIN at line ${i + 1}`)
      open = { label: begin[1], line: i + 1, body: [] }
      continue
    }
    const end = END.exec(trimmed)
    if (!open) {
      const damaged = end
        ? `an END line for ${end[1]} with no BEGIN line`
        : looksLikeBoundary(trimmed) && 'a malformed BEGIN or END line'
      // A BEGIN line damaged beyond recognition hides its whole block: say so, or the certificate is silently lost.
      if (damaged)
        blocks.push({
          label: end?.[1] ?? '?',
          line: i + 1,
          secret: false,
          error: `line ${i + 1} holds ${damaged}; a PEM block there cannot be read`,
        })
      continue
    }
    if (end) {
      close(
        end[1] === open.label
          ? undefined
          : `PEM block at line ${open.line} begins as ${open.label} but ends as ${end[1]} (line ${i + 1})`,
      )
    } else {
      open.body.push(trimmed)
    }
  }
  close(`PEM block at line ${open?.line} has no END line`)
  return blocks
}

/**
 * Dashes hard against text at either end of a line, as in a boundary
 * (RFC 7468 §2: `-----BEGIN LABEL-----`) with a character damaged. Dashes
 * set off by a space (`# ----- intermediate -----`, `----- root -----`) or
 * alone on a line are explanatory text, which OpenSSL skips too.
 */
function looksLikeBoundary(line: string): boolean {
  return /^-{4,}[^-\s]/.test(line) || /[^-\s]-{4,}$/.test(line)
}

function decodeBlock(label: string, line: number, body: string[], error?: string): PemBlock {
  const secret = isPrivateKeyLabel(label)
  if (secret) return { label, line, secret }
  if (error) return { label, line, secret, error }
  const base64 = body.filter((l) => !HEADER.test(l)).join('')
  if (base64.length === 0) return { label, line, secret, error: `PEM block at line ${line} is empty` }
  if (!BASE64.test(base64) || base64.length % 4 === 1) {
    return { label, line, secret, error: `PEM block at line ${line} is not valid base64` }
  }
  return { label, line, secret, der: new Uint8Array(Buffer.from(base64, 'base64')) }
}
