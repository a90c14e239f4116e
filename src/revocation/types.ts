import type { Cert } from '../model/cert.js'
import type { RunDeadline } from '../net/deadline.js'
import { flagAdvice, type Advise } from '../setting-names.js'

export type RevocationMode = 'auto' | 'ocsp' | 'crl' | 'off'
export type OcspMethod = 'auto' | 'post' | 'get'
export type NonceMode = 'auto' | 'require' | 'off'
export type CertIdHash = 'sha1' | 'sha256'

/** Everything the revocation stage needs from the command line (DESIGN.md "Options"). */
export interface RevocationOptions {
  mode: RevocationMode
  /** Every time judgement is made against this clock (`--now`). */
  now: Date
  /** Tolerated difference between our clock and the responder's (`--clock-skew`). */
  clockSkewMs: number
  /** A response whose nextUpdate falls within this margin of now is already stale (`--next-update-margin`). */
  nextUpdateMarginMs: number
  /** Oldest acceptable thisUpdate for a response without nextUpdate (`--max-age`). */
  maxAgeMs: number
  /** Per request: connect + headers + body (`--timeout`). */
  timeoutMs: number
  retries: number
  concurrency: number
  ocspMethod: OcspMethod
  nonce: NonceMode
  hash: CertIdHash
  allowPrivateNetwork: boolean
  /** `--responder-cert`: responder certificates the user pinned (trusted without delegation checks). */
  responderCerts: Cert[]
  crlMaxBytes: number
  /** `--crl-budget`: bytes of downloaded CRLs held at once across the run (crl/fetch.ts). */
  crlBudgetBytes: number
  /** `--deadline`: once passed, nothing more is asked and what is in flight is cut off. */
  deadline?: RunDeadline
  cacheDir?: string
  saveEvidenceDir?: string
  /** Names a setting in advice the way the user can set it (`--issuer`, input "issuers"). */
  advise: Advise
}

const MINUTE = 60_000

/** The contract's defaults (DESIGN.md), with `overrides` on top. */
export function revocationOptions(overrides: Partial<RevocationOptions> = {}): RevocationOptions {
  return {
    mode: 'auto',
    now: new Date(),
    clockSkewMs: 5 * MINUTE,
    nextUpdateMarginMs: 60 * MINUTE,
    maxAgeMs: 7 * 24 * 60 * MINUTE,
    timeoutMs: 10_000,
    retries: 2,
    concurrency: 8,
    ocspMethod: 'auto',
    nonce: 'auto',
    hash: 'sha1',
    allowPrivateNetwork: false,
    responderCerts: [],
    crlMaxBytes: 100 * 1024 * 1024,
    crlBudgetBytes: 512 * 1024 * 1024,
    advise: flagAdvice,
    ...overrides,
  }
}
