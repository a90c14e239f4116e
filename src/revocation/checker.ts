// The revocation stage: one verdict per (issuer, serial) however often a
// certificate appears, requests bounded by --concurrency, OCSP where the
// certificate names a responder and its CRL otherwise (DESIGN.md, `auto`).
import { roleOf } from '../chain/index.js'
import type { Cert } from '../model/cert.js'
import type { Revocation } from '../model/types.js'
import { isShortLived } from '../rules/support/short-lived.js'
import { ResponseCache } from './cache.js'
import { CrlLoader } from './crl/fetch.js'
import { checkCrl } from './crl/check.js'
import { checkOcsp } from './ocsp/check.js'
import { judgeStoredResponse, type StapleCandidate, type StoredResponseVerdict } from './staple-file.js'
import type { RevocationOptions } from './types.js'

export interface RevocationChecker {
  /** The revocation status of `cert`, asked of its issuer's OCSP responder or CRL. */
  check(cert: Cert, issuer: Cert | undefined): Promise<Revocation>
  /** A stored OCSP response (staple file) judged against the loaded certificates. */
  judgeStoredResponse(
    der: Uint8Array,
    candidates: StapleCandidate[],
    fileIssuers: Cert[],
  ): Promise<StoredResponseVerdict>
}

export function createRevocationChecker(options: RevocationOptions): RevocationChecker {
  const limit = concurrencyLimit(Math.max(1, options.concurrency))
  const verdicts = new Map<string, Promise<Revocation>>()
  const crlLoader = new CrlLoader(options, options.cacheDir ? new ResponseCache(options.cacheDir) : undefined)

  const ask = (cert: Cert, issuer: Cert): Promise<Revocation> => {
    const useOcsp = options.mode === 'ocsp' || (options.mode === 'auto' && cert.ocspUrls.length > 0)
    return useOcsp ? checkOcsp(cert, issuer, options) : checkCrl(cert, issuer, options, { loader: crlLoader })
  }

  return {
    check(cert, issuer) {
      const without = withoutRequest(cert, issuer, options)
      if (without) return Promise.resolve(without)
      const known = issuer as Cert
      const key = `${known.sha256}:${cert.serial}`
      let verdict = verdicts.get(key)
      if (!verdict) {
        verdict = limit(() => ask(cert, known))
        verdicts.set(key, verdict)
      }
      return verdict
    },
    judgeStoredResponse: (der, candidates, fileIssuers) =>
      judgeStoredResponse(der, candidates, fileIssuers, options),
  }
}

/** The verdict when no request is to be made: revocation off, a root, a short-lived certificate, no issuer. */
function withoutRequest(
  cert: Cert,
  issuer: Cert | undefined,
  options: RevocationOptions,
): Revocation | undefined {
  if (options.mode === 'off')
    return { source: 'none', status: 'skipped', detail: 'revocation checking is off' }
  if (roleOf(cert) === 'root') {
    return {
      source: 'none',
      status: 'skipped',
      detail: 'a root is a trust anchor; nobody can revoke it by OCSP or CRL',
    }
  }
  const hasPointer = cert.ocspUrls.length > 0 || cert.crlUrls.length > 0
  if (!hasPointer && isShortLived(cert)) {
    return {
      source: 'none',
      status: 'exempt',
      detail: 'short-lived certificate without revocation pointers (CA/B BR 4.9.1.1, 7.1.2.11.2)',
    }
  }
  if (!issuer) {
    return {
      source: 'none',
      status: 'skipped',
      detail: 'its issuer was not found, so no request can name it; add the chain or pass --issuer',
    }
  }
  // Under --revocation ocsp or crl the checker itself says the source asked for is missing (DESIGN.md "Verdicts").
  if (!hasPointer && options.mode === 'auto')
    return { source: 'none', status: 'skipped', detail: 'the certificate names no OCSP URL or CRL' }
  return undefined
}

/** Runs at most `max` tasks at once, in the order they were asked for. */
function concurrencyLimit(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: (() => void)[] = []
  return async (task) => {
    // A finishing task hands its slot straight to the next waiter, so a newcomer cannot overtake.
    if (running >= max) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await task()
    } finally {
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  }
}
