// SignedCertificateTimestamp (RFC 6962 §3.2) as carried in a certificate's
// SCT list extension (§3.3): TLS presentation language, big-endian, each
// variable-length field preceded by its length. Strict: a length that runs
// past its container or bytes left over make the list malformed.

export interface Sct {
  /** sct_version: v1(0) is the only version RFC 6962 defines. */
  version: number
  /** SHA-256 of the log's public key (RFC 6962 §3.2). */
  logId: Uint8Array
  /** Milliseconds since the epoch, as the log wrote it. */
  timestamp: number
  extensions: Uint8Array
  /** TLS HashAlgorithm (RFC 5246 §7.4.1.4.1): 4 = sha256. */
  hashAlgorithm: number
  /** TLS SignatureAlgorithm: 1 = rsa, 3 = ecdsa. */
  signatureAlgorithm: number
  signature: Uint8Array
}

/** The SCT list cannot be read as RFC 6962 §3.3 encodes it. */
export class SctParseError extends Error {
  override name = 'SctParseError'
}

class Reader {
  private at = 0
  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
  ) {}
  get done(): boolean {
    return this.at === this.bytes.length
  }
  take(count: number): Uint8Array {
    if (this.at + count > this.bytes.length)
      throw new SctParseError(
        `${this.what}: ${count} bytes needed at byte ${this.at}, ${this.bytes.length - this.at} left`,
      )
    const out = this.bytes.subarray(this.at, this.at + count)
    this.at += count
    return out
  }
  uint(octets: number): number {
    return this.take(octets).reduce((value, byte) => value * 256 + byte, 0)
  }
  /** A field prefixed by its length in `octets` bytes. */
  vector(octets: number): Uint8Array {
    return this.take(this.uint(octets))
  }
}

/** The SCTs of a TLS-encoded SignedCertificateTimestampList (`opaque SerializedSCT<1..2^16-1>` each, in a list of the same bound). */
export function readSctList(list: Uint8Array): Sct[] {
  const outer = new Reader(list, 'SCT list')
  const body = new Reader(outer.vector(2), 'SCT list')
  if (!outer.done) throw new SctParseError('SCT list: bytes after the list')
  const scts: Sct[] = []
  while (!body.done) scts.push(readSct(body.vector(2), scts.length))
  if (scts.length === 0) throw new SctParseError('SCT list is empty (RFC 6962 §3.3 requires at least one)')
  return scts
}

function readSct(bytes: Uint8Array, index: number): Sct {
  const r = new Reader(bytes, `SCT ${index + 1}`)
  const version = r.uint(1)
  if (version !== 0)
    throw new SctParseError(`SCT ${index + 1}: version ${version}; RFC 6962 defines only v1 (0)`)
  const sct: Sct = {
    version,
    logId: r.take(32),
    timestamp: r.uint(8),
    extensions: r.vector(2),
    hashAlgorithm: r.uint(1),
    signatureAlgorithm: r.uint(1),
    signature: r.vector(2),
  }
  if (!r.done) throw new SctParseError(`SCT ${index + 1}: bytes after the signature`)
  return sct
}
