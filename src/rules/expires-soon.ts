import type { Rule } from './rule.js'
import { severityIn } from './support/profiles.js'
import { describeSpan } from '../model/span.js'

// RFC 5280 §4.1.2.5: past notAfter the certificate is unusable. Catching it
// before then is operational practice (the --expiry-warning and
// --expiry-error thresholds): a warning inside the first, an error inside the
// second. An expired certificate is left to the `expired` rule.
export const rule: Rule = {
  id: 'expires-soon',
  description:
    'The certificate expires within the expiry-warning (warning) or expiry-error (error) window (--expiry-warning, --expiry-error; config keys of the same names).',
  citation: 'RFC 5280 §4.1.2.5 (operational thresholds: --expiry-warning, --expiry-error)',
  severity: severityIn('warning'),
  appliesTo: ({ cert, now }) => cert.notAfter.getTime() >= now.getTime(),
  check({ cert, now, expiryWarningMs, expiryErrorMs }) {
    const left = cert.notAfter.getTime() - now.getTime()
    if (left > Math.max(expiryWarningMs, expiryErrorMs)) return []
    return [
      {
        severity: left <= expiryErrorMs ? 'error' : 'warning',
        message: `Expires on ${cert.notAfter.toISOString()}, in ${describeSpan(left)}.`,
      },
    ]
  },
}
