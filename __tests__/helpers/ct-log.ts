// A Certificate Transparency log of the tests' own: a key, a v3 log list
// entry for it, and SCTs it signs over certificates the tests issue. The
// signed structure is written here from RFC 6962 §3.2 independently of
// src/ct, so verification is checked against a second reading of the RFC
// (and, in the tests, against openssl's own SCT validation).
//
// A CA logs a precertificate and embeds the SCTs in the final certificate;
// the precertificate's TBS is the final TBS without the SCT list extension.
// So the helper issues the certificate twice from the same fields: once
// without the extension (its TBS is what the log signs) and once with it.
import { createHash, webcrypto } from 'node:crypto'
import * as x509 from '../../src/model/x509.js'
import { generateKeys, issue, type IssueOptions, type Issued, type KeySpec } from './pki.js'

export const SCT_LIST_OID = '1.3.6.1.4.1.11129.2.4.2'

export interface TestLog {
  keys: webcrypto.CryptoKeyPair
  keySpec: KeySpec
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array
  /** Base64 SHA-256 of the SPKI (RFC 6962 §3.2). */
  logId: string
}

export async function createTestLog(keySpec: 'ec256' | 'rsa2048' = 'ec256'): Promise<TestLog> {
  const keys = await generateKeys(keySpec, true)
  const spki = new Uint8Array(await webcrypto.subtle.exportKey('spki', keys.publicKey))
  return { keys, keySpec, spki, logId: createHash('sha256').update(spki).digest('base64') }
}

/** A log list entry in the v3 schema for `log`. */
export function listEntry(
  log: TestLog,
  description: string,
  state: { name: string; since: string },
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    description,
    log_id: log.logId,
    key: Buffer.from(log.spki).toString('base64'),
    url: `https://${description.replace(/\W+/g, '-').toLowerCase()}.ct.test/`,
    mmd: 86400,
    state: { [state.name]: { timestamp: state.since } },
    ...extra,
  }
}

/** A v3 log list with one operator per entry of `operators`. */
export function logList(operators: Record<string, Record<string, unknown>[]>): Record<string, unknown> {
  return {
    version: '1.0',
    log_list_timestamp: new Date().toISOString(),
    operators: Object.entries(operators).map(([name, logs]) => ({ name, email: [`ct@${name}.test`], logs })),
  }
}

export interface SctSpec {
  log: TestLog
  /** When the log saw the precertificate (default: an hour before now). */
  timestamp?: Date
  /** Sign something else than this certificate's precertificate entry (a tampered SCT). */
  tamper?: (signed: Uint8Array) => Uint8Array
}

/**
 * Issues a certificate that embeds one SCT per spec, each signed by its log
 * over the precertificate entry. `sctPosition` puts the SCT list extension
 * at that index among the extensions (default: last).
 */
export async function issueWithScts(
  opts: IssueOptions & { issuer: Issued },
  scts: SctSpec[],
  sctPosition?: number,
): Promise<{ cert: Issued; precertTbs: Uint8Array }> {
  const keys = opts.keys ?? (await generateKeys(opts.key ?? 'ec256', true))
  const serial = opts.serial ?? '5c7a1f0e9b2d4c6e'
  const notBefore = opts.notBefore ?? new Date(Math.floor(Date.now() / 1000) * 1000 - 86_400_000)
  const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + (opts.days ?? 90) * 86_400_000)
  const fixed = { ...opts, keys, serial, notBefore, notAfter }
  const precert = await issue(fixed)
  const precertTbs = firstChild(precert.der)
  const issuerKeyHash = createHash('sha256').update(opts.issuer.model.spki).digest()
  const signed = await Promise.all(scts.map((spec) => signSct(spec, issuerKeyHash, precertTbs)))
  const extensions = [...(opts.extensions ?? [])]
  const value = octetString(vector(2, Buffer.concat(signed.map((sct) => vector(2, sct)))))
  extensions.splice(sctPosition ?? extensions.length, 0, new x509.Extension(SCT_LIST_OID, false, value))
  return { cert: await issue({ ...fixed, extensions }), precertTbs }
}

/** One serialized SCT (RFC 6962 §3.2 SignedCertificateTimestamp). */
async function signSct(spec: SctSpec, issuerKeyHash: Uint8Array, tbs: Uint8Array): Promise<Uint8Array> {
  const timestamp = BigInt((spec.timestamp ?? new Date(Date.now() - 3_600_000)).getTime())
  const time = new DataView(new ArrayBuffer(8))
  time.setBigUint64(0, timestamp)
  const extensions = new Uint8Array(0)
  // digitally-signed struct: sct_version v1, signature_type certificate_timestamp, timestamp,
  // entry_type precert_entry, PreCert { issuer_key_hash, tbs_certificate<1..2^24-1> }, extensions<0..2^16-1>.
  let input: Uint8Array = Buffer.concat([
    Uint8Array.of(0, 0),
    new Uint8Array(time.buffer),
    Uint8Array.of(0, 1),
    issuerKeyHash,
    vector(3, tbs),
    vector(2, extensions),
  ])
  if (spec.tamper) input = spec.tamper(input)
  const ec = spec.log.keySpec.startsWith('ec')
  const raw = new Uint8Array(
    await webcrypto.subtle.sign(
      ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
      spec.log.keys.privateKey,
      input,
    ),
  )
  // TLS carries ECDSA signatures DER-encoded (RFC 6962 §2.1.4 via RFC 5246 §4.7); WebCrypto gives r||s.
  const signature = ec ? ecdsaDer(raw) : raw
  return Buffer.concat([
    Uint8Array.of(0),
    Buffer.from(spec.log.logId, 'base64'),
    new Uint8Array(time.buffer),
    vector(2, extensions),
    Uint8Array.of(4, ec ? 3 : 1),
    vector(2, signature),
  ])
}

/** `bytes` prefixed by its length in `octets` big-endian bytes (TLS opaque vector). */
function vector(octets: number, bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(octets + bytes.length)
  for (let i = 0, n = bytes.length; i < octets; i++, n = Math.floor(n / 256)) out[octets - 1 - i] = n & 0xff
  out.set(bytes, octets)
  return out
}

function derLength(n: number): number[] {
  if (n < 0x80) return [n]
  const octets: number[] = []
  for (; n > 0; n = Math.floor(n / 256)) octets.unshift(n & 0xff)
  return [0x80 | octets.length, ...octets]
}

const tlv = (tag: number, content: Uint8Array): Uint8Array =>
  Buffer.concat([Uint8Array.of(tag, ...derLength(content.length)), content])

const octetString = (content: Uint8Array) => tlv(0x04, content)

/** r||s (WebCrypto) as an ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER }. */
function ecdsaDer(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    const trimmed = bytes.subarray(i)
    return tlv(0x02, trimmed[0] & 0x80 ? Buffer.concat([Uint8Array.of(0), trimmed]) : trimmed)
  }
  const half = raw.length / 2
  return tlv(0x30, Buffer.concat([integer(raw.subarray(0, half)), integer(raw.subarray(half))]))
}

/** The first element inside the outer SEQUENCE of `der` (a certificate's tbsCertificate), header included. */
function firstChild(der: Uint8Array): Uint8Array {
  const headerLength = (at: number) => (der[at + 1] & 0x80 ? 2 + (der[at + 1] & 0x7f) : 2)
  const contentLength = (at: number) => {
    const first = der[at + 1]
    if (!(first & 0x80)) return first
    let n = 0
    for (let i = 0; i < (first & 0x7f); i++) n = n * 256 + der[at + 2 + i]
    return n
  }
  const start = headerLength(0)
  return der.subarray(start, start + headerLength(start) + contentLength(start))
}
