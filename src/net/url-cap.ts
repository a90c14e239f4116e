// How many of a certificate's URLs are tried (DESIGN.md "Bounds"). The URLs
// come from the certificate, untrusted input: one carrying a thousand tarpit
// OCSP URLs must not hold a job for hours. Real CAs name one or two of each.

/** At most this many URLs of each kind (OCSP, CRL distribution point, caIssuers) are tried per certificate. */
export const MAX_URLS_PER_KIND = 4

/** A detail names this many of the URLs left out, then counts the others. */
const NAMED_UNTRIED = 10

export interface CappedUrls {
  /** The first MAX_URLS_PER_KIND, in the certificate's order. */
  tried: string[]
  /** "3 more OCSP URLs not tried: …", when some were left out. */
  untried?: string
}

/** The URLs of one kind to try, and a sentence naming those left out. `kind` as in "OCSP URL". */
export function capUrls(urls: readonly string[], kind: string): CappedUrls {
  const tried = urls.slice(0, MAX_URLS_PER_KIND)
  const rest = urls.slice(MAX_URLS_PER_KIND)
  if (rest.length === 0) return { tried }
  const named = rest.slice(0, NAMED_UNTRIED).join(', ')
  const others = rest.length > NAMED_UNTRIED ? ` and ${rest.length - NAMED_UNTRIED} others` : ''
  const noun = rest.length === 1 ? kind : `${kind}s`
  return {
    tried,
    untried: `${rest.length} more ${noun} not tried (at most ${MAX_URLS_PER_KIND} per certificate): ${named}${others}`,
  }
}
