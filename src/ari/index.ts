// The ARI stage (RFC 9773), with --ari: each distinct leaf's renewalInfo
// asked of the CA's ACME server, at most --concurrency at once, alongside the
// revocation stage. The renewal-due rule judges the answers.
import type { Cert } from '../model/cert.js'
import type { RenewalEvidence } from '../model/evidence.js'
import { concurrencyLimit } from '../net/concurrency.js'
import { askRenewalInfo, type RenewalInfoOptions } from './renewal-info.js'

/** The answer for every leaf given, by SHA-256 fingerprint. */
export async function renewalInfoOf(
  leaves: readonly Cert[],
  options: RenewalInfoOptions & { concurrency: number },
): Promise<Map<string, RenewalEvidence>> {
  const limit = concurrencyLimit(Math.max(1, options.concurrency))
  const distinct = new Map(leaves.map((cert) => [cert.sha256, cert]))
  const answers = await Promise.all(
    [...distinct.values()].map(
      async (cert) => [cert.sha256, await limit(() => askRenewalInfo(cert, options))] as const,
    ),
  )
  return new Map(answers)
}
