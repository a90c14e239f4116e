import { indexInFile, pathProblemsOf } from '../chain/path-findings.js'
import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 8446 §4.4.2 and RFC 5246 §7.4.2: the server sends the chain up to
// (but not needing) the root. A missing intermediate works in browsers that
// cache or fetch it (AIA) and fails in curl, Java, Go and mobile clients.
// Reported when no path reaches an anchor at all, and on a served chain file
// whose path only closes with a certificate from elsewhere in the scan.
export const rule: Rule = {
  id: 'chain-incomplete',
  description:
    'No path from the certificate to a trust anchor: an issuer is missing from the file and the trust stores.',
  citation: 'RFC 5280 §6.1; RFC 8446 §4.4.2',
  severity: severityIn('error'),
  appliesTo: (ctx) => ctx.path !== undefined,
  check: (ctx) => {
    const served = ctx.servedPath?.incomplete
    const fromFile = served && served.index === indexInFile(ctx) ? [{ message: served.message }] : []
    return [...pathProblemsOf(ctx, 'chain-incomplete'), ...fromFile]
  },
}
