// Revocation requests started while the input is still loading: a
// certificate whose issuer is already among the certificates seen is asked
// about at once, so responders answer while the rest of the files are read,
// chained and linted instead of after. Only a head start: the revocation
// stage later asks the same checker with the issuer the chain stage chose.
// When that is the issuer guessed here, the answer is already there or on
// its way (the checker asks once per issuer and serial); when it is not, the
// guess cost a request and the verdict comes from a request of its own.
import { keyIdsConsistent, signatureVerifiesInPool } from '../chain/issuance.js'
import type { Cert } from '../model/cert.js'
import { EMPTY_NAME_KEY } from '../model/name-match.js'
import type { CheckOptions } from '../options.js'
import type { RevocationChecker } from './checker.js'

export interface RevocationPrefetch {
  /** Offers the certificates of a file just loaded. */
  add(certs: readonly Cert[]): void
  /** Resolves when every signature check started so far has ended (and its request, if any, was asked). */
  settled(): Promise<void>
}

/**
 * Whether requests may start before the chain stage. Not for a shard (only
 * files in its scope are checked, and the scope may still widen after
 * loading), nor when requests leave a trace beyond their verdict: under
 * --save-evidence a guessed issuer's answer could be the file written, and
 * under --cache-dir two answers about one certificate could reach the
 * rollback memory in either order.
 */
export function mayPrefetch(options: CheckOptions): boolean {
  return options.revocation !== 'off' && !options.scope && !options.saveEvidenceDir && !options.cacheDir
}

/**
 * Guesses each certificate's issuer the way the chain stage finds it (same
 * name, key identifiers that agree, a signature that verifies) and asks
 * `checker` when exactly one candidate fits. Signatures are checked in the
 * thread pool while the main thread reads on, and remembered for the chain
 * stage (issuance.ts). `known` are issuers given outside the scan (--issuer,
 * --trust). A certificate with no candidate of its issuer's name yet waits
 * for one to load; once candidates were tried it is left to the chain stage,
 * which knows how to choose.
 */
export function revocationPrefetch(checker: RevocationChecker, known: readonly Cert[]): RevocationPrefetch {
  const casByName = new Map<string, Cert[]>()
  const waitingByIssuerName = new Map<string, Cert[]>()
  const seen = new Set<string>()
  const checks: Promise<void>[] = []

  /** False when no CA of the issuer's name is known yet. */
  const tryAsk = (cert: Cert): boolean => {
    const named = (casByName.get(cert.issuerKey) ?? []).filter((ca) => keyIdsConsistent(cert, ca))
    if (named.length === 0) return false
    const check = Promise.all(named.map((ca) => signatureVerifiesInPool(cert, ca))).then((verified) => {
      const fitting = named.filter((_, i) => verified[i])
      // The checker keeps the promise for the revocation stage; nobody may await a wrong guess,
      // so its failure must not surface as an unhandled rejection.
      if (fitting.length === 1) checker.check(cert, fitting[0]).catch(() => undefined)
    })
    // A guess that could not be made is no error: the revocation stage asks in any case.
    checks.push(check.catch(() => undefined))
    return true
  }

  const addCa = (ca: Cert): void => {
    const named = casByName.get(ca.subjectKey) ?? []
    if (named.some((c) => c.sha256 === ca.sha256)) return
    named.push(ca)
    casByName.set(ca.subjectKey, named)
    const waiting = waitingByIssuerName.get(ca.subjectKey)
    if (!waiting) return
    waitingByIssuerName.delete(ca.subjectKey)
    for (const cert of waiting) tryAsk(cert)
  }

  for (const ca of known) if (ca.basicConstraints?.ca) addCa(ca)

  return {
    add(certs) {
      // Issuers first: a file holding a whole chain asks for each of its certificates at once.
      for (const cert of certs) if (cert.basicConstraints?.ca) addCa(cert)
      for (const cert of certs) {
        // A self-issued certificate is a root or a key rollover, and an empty issuer name names no
        // issuer (RFC 5280 §4.1.2.4): the chain stage decides what they are.
        if (cert.selfIssued || cert.issuerKey === EMPTY_NAME_KEY || seen.has(cert.sha256)) continue
        seen.add(cert.sha256)
        if (tryAsk(cert)) continue
        const waiting = waitingByIssuerName.get(cert.issuerKey) ?? []
        waiting.push(cert)
        waitingByIssuerName.set(cert.issuerKey, waiting)
      }
    },
    settled: async () => {
      await Promise.all(checks)
    },
  }
}
