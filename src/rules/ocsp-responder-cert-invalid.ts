import type { Rule } from './rule.js'
import { isDelegatedResponder, responderCertProblems } from './support/ocsp-responder.js'
import { severityIn } from './support/profiles.js'

// RFC 6960 §4.2.2.2: a delegated responder certificate carries
// id-kp-OCSPSigning in its extended key usage and is issued directly by the
// CA it answers for. §4.2.2.2.1: "A CA may specify that an OCSP client can
// trust a responder for the lifetime of the responder's certificate. The CA
// does so by including the extension id-pkix-ocsp-nocheck."
// CA/B BR 7.1.2.8.4 (cA MUST be FALSE), 7.1.2.8.6 (nocheck MUST), 7.1.2.8.7
// (keyUsage digitalSignature required).
export const rule: Rule = {
  id: 'ocsp-responder-cert-invalid',
  description:
    'A delegated OCSP responder certificate (id-kp-OCSPSigning) lacks digitalSignature, is a CA, or lacks id-pkix-ocsp-nocheck.',
  citation: 'RFC 6960 §4.2.2.2, §4.2.2.2.1; CA/B BR 7.1.2.8.4, 7.1.2.8.6, 7.1.2.8.7',
  severity: severityIn('error'),
  // A root is a trust anchor, never a delegate: its EKU may list OCSPSigning for
  // responses it signs itself (§4.2.2.2 case 1), so the delegate's rules do not apply.
  appliesTo: (ctx) => ctx.role !== 'root' && isDelegatedResponder(ctx.cert),
  check: (ctx) => responderCertProblems(ctx.cert),
}
