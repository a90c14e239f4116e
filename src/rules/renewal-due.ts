import type { EvidenceRule } from './rule.js'
import { severityIn } from './support/profiles.js'

// RFC 9773 §4.2–4.3: the CA's suggestedWindow is when it wants the
// certificate replaced; a client renews at a time within it, and a window
// moved into the past means "renew now", which CAs do ahead of a mass
// revocation (the explanationURL then says why). A deploy gate should not
// ship a certificate its CA has asked to have replaced: a warning inside the
// window, an error once its end has passed (DESIGN "CRL era"). Asked only
// with --ari; a question that got no usable answer is reported as info.
export const rule: EvidenceRule = {
  id: 'renewal-due',
  description:
    "The CA's ACME Renewal Information (--ari; action input ari) puts now inside (warning) or past (error) the suggested renewal window.",
  citation: 'RFC 9773 §4.2, §4.3',
  severity: severityIn('warning'),
  appliesTo: ({ role, renewal }) => role === 'leaf' && renewal !== undefined,
  check({ now, renewal }) {
    if (!renewal) return []
    const retry = renewal.retryAfter
      ? ` The CA asks to be asked again after ${renewal.retryAfter.toISOString()} (Retry-After).`
      : ''
    if (!renewal.window)
      return [
        {
          severity: 'info',
          message: `No renewal information from ${renewal.url}: ${renewal.problem}.${retry}`,
        },
      ]
    const { start, end } = renewal.window
    const why = renewal.explanationUrl ? ` The CA explains why at ${renewal.explanationUrl}.` : ''
    const window = `${start.toISOString()} to ${end.toISOString()}`
    if (now >= end)
      return [
        {
          severity: 'error',
          message: `The CA's suggested renewal window (${window}) has passed: replace this certificate now; CAs move the window into the past before revoking.${why}${retry}`,
        },
      ]
    if (now >= start)
      return [{ message: `Inside the CA's suggested renewal window (${window}): renew it.${why}${retry}` }]
    return []
  },
}
