import { rootCertificates } from 'node:tls'
import type { Cert } from '../model/cert.js'
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
  private systemLoaded: boolean

  constructor(options: TrustAnchorOptions = {}) {
    for (const cert of options.trusted ?? []) this.add(cert, 'trust')
    for (const cert of options.scanRoots ?? []) this.add(cert, 'scan')
    this.systemLoaded = !options.system
  }

  private add(cert: Cert, source: AnchorSource): void {
    const entries = this.bySubject.get(cert.subjectKey) ?? []
    if (entries.some((e) => e.cert.sha256 === cert.sha256)) return
    entries.push({ cert, source })
    this.bySubject.set(cert.subjectKey, entries)
  }

  // The system store (~150 roots) is parsed only when a path first needs it.
  private entries(subjectKey: string): PoolEntry[] {
    if (!this.systemLoaded) {
      this.systemLoaded = true
      for (const cert of systemRoots()) this.add(cert, 'system')
    }
    return this.bySubject.get(subjectKey) ?? []
  }

  /** The source of the anchor `cert` is (same name and key), or undefined when it is not one. */
  anchorSourceOf(cert: Cert): AnchorSource | undefined {
    const key = publicKeyOf(cert)
    return this.entries(cert.subjectKey).find(
      (e) => e.cert.sha256 === cert.sha256 || publicKeyOf(e.cert) === key,
    )?.source
  }

  /** Anchors whose subject is the issuer name of `cert`. */
  candidatesFor(cert: Cert): readonly PoolEntry[] {
    return this.entries(cert.issuerKey)
  }
}

let parsedSystemRoots: readonly Cert[] | undefined

/**
 * Node's bundled roots, parsed once per process: they never change while it
 * runs, and parsing ~150 certificates costs more than checking a small
 * repository, so a process that calls check() repeatedly (the action's
 * tests, a library user) must not pay it every run.
 */
function systemRoots(): readonly Cert[] {
  parsedSystemRoots ??= rootCertificates.flatMap((pem) =>
    decodeCertificates(Buffer.from(pem), 'system roots'),
  )
  return parsedSystemRoots
}
