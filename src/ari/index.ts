// The ARI stage (RFC 9773), with --ari: each distinct leaf's renewalInfo
// asked of the CA's ACME server, at most --concurrency at once, alongside the
// revocation stage. The renewal-due rule judges the answers.
import type { Cert } from '../model/cert.js'
import type { RenewalEvidence } from '../model/evidence.js'
import { concurrencyLimit } from '../net/concurrency.js'
import { askRenewalInfo, type RenewalInfoOptions } from './renewal-info.js'
import { injectFault, internalErrorMessage } from '../contain.js'

/** The answer for every leaf given, by SHA-256 fingerprint. */
export async function renewalInfoOf(
  leaves: readonly Cert[],
  options: RenewalInfoOptions & { concurrency: number },
): Promise<Map<string, RenewalEvidence>> {
  const limit = concurrencyLimit(Math.max(1, options.concurrency))
  const distinct = new Map(leaves.map((cert) => [cert.sha256, cert]))
  const answers = await Promise.all(
    [...distinct.values()].map(
      async (cert) => [cert.sha256, await limit(() => askContained(cert, options))] as const,
    ),
  )
  return new Map(answers)
}

/** A failure asking about one leaf (a bug: askRenewalInfo turns bad answers into problems) is that leaf's problem alone. */
async function askContained(cert: Cert, options: RenewalInfoOptions): Promise<RenewalEvidence> {
  try {
    injectFault('evidence', `ari ${cert.source.file}`)
    return await askRenewalInfo(cert, options)
  } catch (error) {
    return {
      url: options.baseUrl,
      problem: internalErrorMessage('asking for its renewal information', error),
    }
  }
}
