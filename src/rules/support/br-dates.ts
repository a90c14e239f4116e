// Dates on which Baseline Requirements ballots took effect (BR 1.2.1
// revision table, v2.2.6). Rules keyed to them judge by notBefore.

/**
 * Ballot SC31 (BR 1.7.1): the BR's Validity Period became RFC 5280's, "from
 * notBefore through notAfter, inclusive", for certificates issued on or after
 * this date; before it, the time "from the date when the Certificate is
 * issued until the Expiry Date" (notAfter - notBefore).
 */
export const BR_INCLUSIVE_VALIDITY_PERIOD = '2020-09-01'

/** Ballot SC-062, BR 2.0.0: the certificate profiles of BR 7.1.2 (key usage tables, AIA, EKU). */
export const BR_CERTIFICATE_PROFILES = '2023-09-15'

/** Ballot SC-063, BR 2.0.1: OCSP optional, CRLs required, Short-lived Subscriber Certificates. */
export const BR_OCSP_OPTIONAL = '2024-03-15'
