import type { EvidenceRule } from './rule.js'

// A 10 MB ceiling on CRLs, named in the issue that introduced this rule as a
// root program's limit. Its primary source was not found: the Mozilla Root
// Store Policy, the CCADB Policy, the Chrome Root Program Policy and the CA/B
// Baseline Requirements (v2.2.6) state no CRL size limit. The operational
// reason stands on its own: clients that fetch CRLs on demand (Microsoft
// Entra ID caps them at 20 MB) or cache them time out or give up on large
// ones, and BR 7.2 lets a CA partition its CRLs ("sharded") to stay small.
export const MAX_CRL_BYTES = 10_000_000

export const rule: EvidenceRule = {
  id: 'crl-too-large',
  description: "A CRL the certificate's check used is larger than 10 MB; the CA should partition it.",
  citation:
    'a root program’s 10 MB CRL limit (source not located; see the rule’s comment); CA/B BR 7.2 (partitioned CRLs)',
  severity: { 'public-tls': 'warning', 'private-tls': 'info' },
  appliesTo: ({ revocation }) => revocation.crls.length > 0,
  check({ revocation }) {
    return revocation.crls
      .filter(({ bytes }) => bytes > MAX_CRL_BYTES)
      .map(({ url, bytes }) => ({
        message: `CRL ${url} is ${(bytes / 1_000_000).toFixed(1)} MB (${bytes.toLocaleString('en-US')} bytes), over the 10 MB limit; a partitioned CRL (BR 7.2) keeps each download small.`,
      }))
  },
}
