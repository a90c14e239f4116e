import { rootCertificates } from 'node:tls'
import type { Cert } from '../model/cert.js'
import { nameKey } from '../model/name-match.js'
import { subjectNameOf } from '../model/read-certificate.js'
import { decodeCertificates } from './decode.js'
import { publicKeyOf } from './issuance.js'
import type { PoolEntry } from './pool.js'
import type { AnchorSource } from './types.js'

export interface TrustAnchorOptions {
  /** Certificates from --trust files. */
  trusted?: readonly Cert[]
  /**
   * Self-signed roots found in the scan that the caller chose to trust. The
   * default is none: a root committed next to a leaf proves nothing about
   * public trust, so public-tls only trusts --trust and the system store;
   * private PKIs pass their root with --trust (or the caller adds scanned
   * roots here for profiles that opt into it).
   */
  scanRoots?: readonly Cert[]
  /** Also trust Node's bundled Mozilla root store (node:tls rootCertificates). */
  system?: boolean
}

/**
 * Where paths may end. A trust anchor is a name and a key (RFC 5280 §6.1.1
 * (d)), so a re-issued copy of a trusted root (same subject and key, new
 * dates) is recognised as the anchor too.
 */
export class TrustAnchors {
  private readonly bySubject = new Map<string, PoolEntry[]>()
  /** Subject names already looked up in the system store; undefined when the system store is not used. */
  private readonly systemNamesSeen?: Set<string>

  constructor(options: TrustAnchorOptions = {}) {
    for (const cert of options.trusted ?? []) this.add(cert, 'trust')
    for (const cert of options.scanRoots ?? []) this.add(cert, 'scan')
    if (options.system) this.systemNamesSeen = new Set()
  }

  private add(cert: Cert, source: AnchorSource): void {
    const entries = this.bySubject.get(cert.subjectKey) ?? []
    if (entries.some((e) => e.cert.sha256 === cert.sha256)) return
    entries.push({ cert, source })
    this.bySubject.set(cert.subjectKey, entries)
  }

  private entries(subjectKey: string): PoolEntry[] {
    if (this.systemNamesSeen && !this.systemNamesSeen.has(subjectKey)) {
      this.systemNamesSeen.add(subjectKey)
      for (const cert of systemRootsNamed(subjectKey)) this.add(cert, 'system')
    }
    return this.bySubject.get(subjectKey) ?? []
  }

  /** The source of the anchor `cert` is (same name and key), or undefined when it is not one. */
  anchorSourceOf(cert: Cert): AnchorSource | undefined {
    return this.entries(cert.subjectKey).find(
      (e) => e.cert.sha256 === cert.sha256 || publicKeyOf(e.cert) === publicKeyOf(cert),
    )?.source
  }

  /** Anchors whose subject is the issuer name of `cert`. */
  candidatesFor(cert: Cert): readonly PoolEntry[] {
    return this.entries(cert.issuerKey)
  }
}

/** Node's bundled roots as PEM by subject name (Cert.subjectKey), then as parsed once asked for. */
let systemRoots: Map<string, { pems: string[]; parsed?: readonly Cert[] }> | undefined

/**
 * Node's bundled roots with the subject name `subjectKey`. The store is
 * indexed by name once per process and a root is parsed only when a path
 * asks for its name, then kept: most scans end at --trust roots, parsing all
 * ~150 cost more than linting a thousand leaves, and a process that calls
 * check() repeatedly (the action's tests, a library user) must not pay it
 * every run.
 */
function systemRootsNamed(subjectKey: string): readonly Cert[] {
  if (!systemRoots) {
    systemRoots = new Map()
    for (const pem of rootCertificates) {
      const der = Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, ''), 'base64')
      const subject = subjectNameOf(new Uint8Array(der.buffer, der.byteOffset, der.byteLength))
      // A root whose name cannot be found is not a certificate decodeCertificates would return either.
      if (!subject) continue
      const key = nameKey(subject)
      const entry = systemRoots.get(key) ?? { pems: [] }
      entry.pems.push(pem)
      systemRoots.set(key, entry)
    }
  }
  const entry = systemRoots.get(subjectKey)
  if (!entry) return []
  entry.parsed ??= entry.pems.flatMap((pem) => decodeCertificates(Buffer.from(pem), 'system roots'))
  return entry.parsed
}
