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
import {
  judgeStoredResponse,
  type StapleCandidate,
  type StapleCandidates,
  type StoredResponseVerdict,
} from './staple-file.js'
import type { RevocationOptions } from './types.js'
import { RollbackGuard } from './rollback.js'
import { concurrencyLimit } from '../net/concurrency.js'
import type { RevocationEvidence } from '../model/evidence.js'

export interface RevocationChecker {
  /** The revocation status of `cert`, asked of its issuer's OCSP responder or CRL. */
  check(cert: Cert, issuer: Cert | undefined): Promise<Revocation>
  /** The CRLs and responses check() used for `cert` (empty before it settles or when none was). */
  evidenceOf(cert: Cert, issuer: Cert | undefined): RevocationEvidence
  /** Keeps what this run learnt for the next (rollback state under --cache-dir). */
  finish(): Promise<void>
  /** A stored OCSP response (staple file) judged against the loaded certificates. */
  judgeStoredResponse(
    der: Uint8Array,
    candidates: StapleCandidates | readonly StapleCandidate[],
    fileIssuers: Cert[],
  ): Promise<StoredResponseVerdict>
}

export function createRevocationChecker(options: RevocationOptions): RevocationChecker {
  const limit = concurrencyLimit(Math.max(1, options.concurrency))
  const verdicts = new Map<string, Promise<Revocation>>()
  const evidence = new Map<string, RevocationEvidence>()
  const rollback = options.cacheDir ? new RollbackGuard(options.cacheDir) : undefined
  const cache = options.cacheDir ? new ResponseCache(options.cacheDir) : undefined
  const crlLoader = new CrlLoader(options, cache, rollback)
  const keyOf = (cert: Cert, issuer: Cert) => `${issuer.sha256}:${cert.serial}`

  const ask = (cert: Cert, issuer: Cert): Promise<Revocation> => {
    const used: RevocationEvidence = { crls: [], ocsp: [] }
    evidence.set(keyOf(cert, issuer), used)
    const useOcsp = options.mode === 'ocsp' || (options.mode === 'auto' && cert.ocspUrls.length > 0)
    return useOcsp
      ? checkOcsp(cert, issuer, options, { rollback, evidence: used })
      : checkCrl(cert, issuer, options, { loader: crlLoader, rollback, evidence: used })
  }

  return {
    check(cert, issuer) {
      const without = withoutRequest(cert, issuer, options)
      if (without) return Promise.resolve(without)
      const known = issuer as Cert
      const key = keyOf(cert, known)
      let verdict = verdicts.get(key)
      if (!verdict) {
        verdict = limit(() => ask(cert, known))
        verdicts.set(key, verdict)
      }
      return verdict
    },
    evidenceOf: (cert, issuer) => (issuer && evidence.get(keyOf(cert, issuer))) || { crls: [], ocsp: [] },
    finish: async () => {
      // Every verdict is in: the CRLs held for other certificates are no longer needed.
      crlLoader.releaseAll()
      await rollback?.save()
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
      detail: `its issuer was not found, so no request can name it; add the chain or pass ${options.advise('issuer')}`,
    }
  }
  // Under --revocation ocsp or crl the checker itself says the source asked for is missing (DESIGN.md "Verdicts").
  if (!hasPointer && options.mode === 'auto')
    return { source: 'none', status: 'skipped', detail: 'the certificate names no OCSP URL or CRL' }
  return undefined
}
