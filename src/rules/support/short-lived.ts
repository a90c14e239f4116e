import type { Cert } from '../../model/cert.js'
import { BR_OCSP_OPTIONAL } from './br-dates.js'
import { issuedOnOrAfter, validityPeriodMs } from './validity.js'

// CA/B BR 1.6.1 (v2.2.6): "Short-lived Subscriber Certificate: For Certificates
// issued on or after 2024-03-15 and prior to 2026-03-15, a Subscriber
// Certificate with a Validity Period less than or equal to 10 days (864,000
// seconds). For Certificates issued on or after 2026-03-15, a Subscriber
// Certificate with a Validity Period less than or equal to 7 days (604,800
// seconds)."
const SEVEN_DAYS_SINCE = '2026-03-15'
const TEN_DAYS_SECONDS = 864_000
const SEVEN_DAYS_SECONDS = 604_800

/**
 * The longest Validity Period (seconds) a subscriber certificate may have to
 * count as short-lived, chosen by its notBefore; undefined before the term
 * existed (SC-063, 2024-03-15), when every subscriber certificate needed OCSP.
 */
export function shortLivedLimitSeconds(cert: Cert): number | undefined {
  if (!issuedOnOrAfter(cert, BR_OCSP_OPTIONAL)) return undefined
  return issuedOnOrAfter(cert, SEVEN_DAYS_SINCE) ? SEVEN_DAYS_SECONDS : TEN_DAYS_SECONDS
}

/**
 * A Short-lived Subscriber Certificate (BR 1.6.1): such certificates need no
 * OCSP or CRL pointer (BR 4.9.1.1, 7.1.2.11.2), so the revocation stage marks
 * them 'exempt' and the revocation-pointer rules leave them alone. A CA
 * certificate is never a subscriber certificate.
 */
export function isShortLived(cert: Cert): boolean {
  if (cert.basicConstraints?.ca) return false
  const limit = shortLivedLimitSeconds(cert)
  return limit !== undefined && validityPeriodMs(cert) <= limit * 1000
}
