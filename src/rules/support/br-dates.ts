// Dates on which Baseline Requirements ballots took effect (BR 1.2.1
// revision table, v2.2.6). Rules keyed to them judge by notBefore.

/** Ballot SC-062, BR 2.0.0: the certificate profiles of BR 7.1.2 (key usage tables, AIA, EKU). */
export const BR_CERTIFICATE_PROFILES = '2023-09-15'

/** Ballot SC-063, BR 2.0.1: OCSP optional, CRLs required, Short-lived Subscriber Certificates. */
export const BR_OCSP_OPTIONAL = '2024-03-15'
