import type { Cert } from '../../model/cert.js'
import { BR_INCLUSIVE_VALIDITY_PERIOD } from './br-dates.js'

export const SECOND_MS = 1000
export const DAY_MS = 86_400_000

/**
 * The Validity Period as RFC 5280 §4.1.2.5 and BR 1.6.1 define it: "from
 * notBefore through notAfter, inclusive", so one second longer than the
 * difference of the two instants. BR 6.3.2 counts any part of a day beyond
 * 86,400 seconds as a further day, which this makes visible.
 */
export function validityPeriodMs(cert: Cert): number {
  return cert.notAfter.getTime() - cert.notBefore.getTime() + SECOND_MS
}

/**
 * The Validity Period as the BR measured it when the certificate was issued:
 * inclusive (above) from ballot SC31 on, plain notAfter - notBefore before,
 * so an exactly 825-day certificate from 2018 is 825 days, not 826.
 */
export function brValidityPeriodMs(cert: Cert): number {
  return issuedOnOrAfter(cert, BR_INCLUSIVE_VALIDITY_PERIOD)
    ? validityPeriodMs(cert)
    : cert.notAfter.getTime() - cert.notBefore.getTime()
}

/**
 * Requirements take effect for certificates issued on or after a date; the
 * notBefore stands for the issuance date, as in zlint's effective dates.
 */
export function issuedOnOrAfter(cert: Cert, isoDate: string): boolean {
  return cert.notBefore.getTime() >= Date.parse(isoDate)
}
