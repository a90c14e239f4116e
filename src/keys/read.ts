// One key file's bytes to the public halves of the private keys it holds.
// Node's crypto parses the keys (createPrivateKey) and derives the public key
// (createPublicKey); nothing here decodes key material by hand. What leaves
// this module is the SubjectPublicKeyInfo, the algorithm and the line: the
// private key is dropped at once, and no message quotes the file's content.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { looksLikePem } from '../load/pem.js'
import { parserMessage } from '../model/parser-message.js'

/** The public half of one private key, and where the private key sits. */
export interface PublicHalf {
  /** 1-based line of the PEM BEGIN line (1 for DER). */
  line: number
  /** Node's name for the algorithm: 'rsa', 'rsa-pss', 'ec', 'ed25519', … */
  type: string
  /** DER of the SubjectPublicKeyInfo, as certificates carry it. */
  spki: Uint8Array
}

/** A private key that could not be turned into a public key, and why. */
export interface KeyProblem {
  line: number
  /** absent: the file holds no private key block at all (PEM) */
  kind: 'encrypted' | 'unreadable' | 'absent'
  message: string
}

export interface KeyFileContents {
  keys: PublicHalf[]
  problems: KeyProblem[]
}

const BEGIN = /^-----BEGIN ([A-Z0-9 ]+)-----$/
const END = /^-----END ([A-Z0-9 ]+)-----$/
// RFC 1421 §4.6.1.1: a legacy (openssl -traditional) key encrypted in place.
const LEGACY_ENCRYPTED = /^Proc-Type:\s*4\s*,\s*ENCRYPTED\s*$/i

/** DER encodings Node accepts, tried in turn: PKCS#8 (RFC 5958), PKCS#1 (RFC 8017), SEC1 (RFC 5915). */
const DER_TYPES = ['pkcs8', 'pkcs1', 'sec1'] as const

/**
 * Reads PEM (any number of blocks; only `… PRIVATE KEY` blocks count, so a
 * combined certificate-and-key file works) or DER. Never throws.
 */
export function readKeyFile(bytes: Uint8Array): KeyFileContents {
  const contents: KeyFileContents = { keys: [], problems: [] }
  if (looksLikePem(bytes)) readPem(Buffer.from(bytes).toString('latin1'), contents)
  else readDer(Buffer.from(bytes), contents)
  return contents
}

function readPem(text: string, contents: KeyFileContents): void {
  const lines = text.split(/\r\n|\r|\n/)
  const others = new Set<string>()
  let open: { label: string; line: number; body: string[] } | undefined
  for (let i = 0; i < lines.length; i++) {
    const trimmed = lines[i].trim()
    const begin = BEGIN.exec(trimmed)
    if (begin) {
      open = { label: begin[1], line: i + 1, body: [trimmed] }
      continue
    }
    if (!open) continue
    open.body.push(trimmed)
    const end = END.exec(trimmed)
    if (!end) continue
    if (open.label.endsWith('PRIVATE KEY')) readPemBlock(open.label, open.line, open.body, contents)
    else others.add(open.label)
    open = undefined
  }
  if (open?.label.endsWith('PRIVATE KEY'))
    contents.problems.push({
      line: open.line,
      kind: 'unreadable',
      message: `PEM block at line ${open.line} (${open.label}) has no END line`,
    })
  if (contents.keys.length === 0 && contents.problems.length === 0)
    contents.problems.push({
      line: 1,
      kind: 'absent',
      message: `no private key found${others.size ? ` (PEM blocks: ${[...others].join(', ')})` : ''}`,
    })
}

function readPemBlock(label: string, line: number, body: string[], contents: KeyFileContents): void {
  const where = `PEM block at line ${line} (${label})`
  if (label === 'ENCRYPTED PRIVATE KEY' || body.some((l) => LEGACY_ENCRYPTED.test(l))) {
    contents.problems.push({ line, kind: 'encrypted', message: encryptedMessage(where) })
    return
  }
  addKey(line, where, () => createPrivateKey({ key: body.join('\n'), format: 'pem' }), contents)
}

function readDer(der: Buffer, contents: KeyFileContents): void {
  for (const type of DER_TYPES) {
    try {
      const key = createPrivateKey({ key: der, format: 'der', type })
      return addKey(1, 'the file', () => key, contents)
    } catch (error) {
      // An EncryptedPrivateKeyInfo parses as PKCS#8 as far as the passphrase.
      if ((error as NodeJS.ErrnoException).code === 'ERR_MISSING_PASSPHRASE') {
        contents.problems.push({ line: 1, kind: 'encrypted', message: encryptedMessage('the file') })
        return
      }
    }
  }
  contents.problems.push({
    line: 1,
    kind: 'unreadable',
    message: 'not a private key: neither PEM nor DER PKCS#8, PKCS#1 (RSA) or SEC1 (EC)',
  })
}

function addKey(line: number, where: string, parse: () => KeyObject, contents: KeyFileContents): void {
  try {
    const privateKey = parse()
    const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' })
    contents.keys.push({ line, type: privateKey.asymmetricKeyType ?? 'unknown', spki: new Uint8Array(spki) })
  } catch (error) {
    // OpenSSL's and Node's messages name the decoder that failed, never the bytes.
    contents.problems.push({
      line,
      kind: 'unreadable',
      message: `${where}: not a private key Node's crypto can read (${parserMessage(error)})`,
    })
  }
}

const encryptedMessage = (where: string): string =>
  `${where} holds an encrypted private key: it cannot be matched to a certificate without its passphrase, and certgate never asks for one; check it where the passphrase is, or keep the key unencrypted in a secret store`
