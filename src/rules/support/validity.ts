import type { Cert } from '../../model/cert.js'

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
 * Requirements take effect for certificates issued on or after a date; the
 * notBefore stands for the issuance date, as in zlint's effective dates.
 */
export function issuedOnOrAfter(cert: Cert, isoDate: string): boolean {
  return cert.notBefore.getTime() >= Date.parse(isoDate)
}
