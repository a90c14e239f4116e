// Revocation status from CRLs (RFC 5280 §5, checked as §6.3 describes): used
// for `--revocation crl`, and in `auto` for certificates that name no OCSP
// responder (many public CAs, Let's Encrypt among them, publish CRLs only).
import type { Cert } from '../../model/cert.js'
import type { Revocation } from '../../model/types.js'
import { CrlParseError, type CrlIndex } from './entries.js'
import { CrlOverBudget, CrlRejected, type CrlLoader } from './fetch.js'
import { crlSignatureProblem } from './signature.js'
import { saveEvidence } from '../evidence.js'
import { HttpError } from '../../net/http.js'
import type { RevocationOptions } from '../types.js'
import type { RollbackGuard } from '../rollback.js'
import type { RevocationEvidence } from '../../model/evidence.js'
import { parserMessage } from '../../model/parser-message.js'
import { capUrls } from '../../net/url-cap.js'

export type CrlJudgeOptions = Pick<
  RevocationOptions,
  'now' | 'clockSkewMs' | 'nextUpdateMarginMs' | 'maxAgeMs'
>

export interface CrlDeps {
  /** Shared by every certificate of the run: one download and parse per URL. */
  loader: CrlLoader
  /** With --cache-dir: the highest CRL number seen per issuer and distribution point. */
  rollback?: RollbackGuard
  /** Collects each verified CRL consulted, for the evidence rules. */
  evidence?: RevocationEvidence
}

const KEY_USAGE_CRL_SIGN = 64

/**
 * Judges `cert` against one CRL fetched from `url`, with `issuer` as the CRL
 * issuer (RFC 5280 §6.3.3). `invalid` when the CRL cannot be relied on:
 * another issuer's name, the issuer's key usage lacks cRLSign (§4.2.1.3), the
 * signature fails, a critical extension is not understood (§5.2, §5.3), it is
 * a delta or indirect CRL, its Issuing Distribution Point (§5.2.5) names
 * another URL or another kind of certificate — a wrong shard would silently
 * say "not revoked" — or thisUpdate lies in the future. Otherwise `revoked`
 * when the serial is listed, `stale` when nextUpdate is past or within the
 * margin (or, without nextUpdate, thisUpdate is older than max-age), else
 * `good`.
 */
export function judgeCrl(
  crl: CrlIndex,
  url: string,
  cert: Cert,
  issuer: Cert,
  options: CrlJudgeOptions,
): Revocation {
  const base: Revocation = {
    source: 'crl',
    status: 'invalid',
    url,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString(),
  }
  const invalid = (detail: string): Revocation => ({ ...base, detail: `CRL ${url}: ${detail}` })

  if (crl.issuerKey !== cert.issuerKey) return invalid(`issued by another name than ${cert.issuer}`)
  if (issuer.subjectKey !== cert.issuerKey)
    return invalid(`the issuer given (${issuer.subject}) did not issue the certificate`)
  if (issuer.keyUsage && !(issuer.keyUsage.flags & KEY_USAGE_CRL_SIGN))
    return invalid(`${issuer.subject} lacks the cRLSign key usage (RFC 5280 §4.2.1.3)`)
  const signature = crlSignatureProblem(crl, issuer)
  if (signature) return invalid(signature)
  if (crl.unknownCriticalExtensions.length)
    return invalid(
      `unsupported critical extension ${crl.unknownCriticalExtensions.join(', ')} (RFC 5280 §5.2)`,
    )
  if (crl.unknownCriticalEntryExtensions.length)
    return invalid(
      `unsupported critical entry extension ${crl.unknownCriticalEntryExtensions.join(', ')} (RFC 5280 §5.3)`,
    )
  if (crl.deltaCrl)
    return invalid(
      'is a delta CRL (deltaCRLIndicator, RFC 5280 §5.2.4); it lists only changes since a base CRL, ' +
        'so it cannot show that a certificate is not revoked',
    )
  const scope = scopeProblem(crl, url, cert)
  if (scope) return invalid(scope)

  const now = options.now.getTime()
  if (crl.nextUpdate && crl.nextUpdate < crl.thisUpdate) return invalid('nextUpdate is before thisUpdate')
  if (crl.thisUpdate.getTime() > now + options.clockSkewMs)
    return invalid(`thisUpdate ${base.thisUpdate} is in the future (beyond the clock skew)`)

  const entry = crl.find(cert.serial)
  if (entry)
    return {
      ...base,
      status: 'revoked',
      revokedAt: entry.revokedAt.toISOString(),
      reason: entry.reason,
      detail: `serial ${cert.serial} listed on ${url}${entry.reason ? ` (${entry.reason})` : ''}`,
    }

  if (crl.nextUpdate && crl.nextUpdate.getTime() - now <= options.nextUpdateMarginMs) {
    const when = crl.nextUpdate.getTime() <= now ? 'has passed' : 'falls within the next-update margin'
    return { ...base, status: 'stale', detail: `CRL ${url}: nextUpdate ${base.nextUpdate} ${when}` }
  }
  if (!crl.nextUpdate && now - crl.thisUpdate.getTime() > options.maxAgeMs)
    return {
      ...base,
      status: 'stale',
      detail: `CRL ${url}: no nextUpdate and thisUpdate ${base.thisUpdate} is older than the max age`,
    }
  return { ...base, status: 'good', detail: `serial ${cert.serial} not listed on ${url}` }
}

/** RFC 5280 §5.2.5 / §6.3.3 (b): the CRL must cover this certificate, from this URL, for every reason. */
function scopeProblem(crl: CrlIndex, url: string, cert: Cert): string | undefined {
  if (crl.hasCertificateIssuerEntries)
    return 'is an indirect CRL (certificateIssuer entries), which is not supported'
  const idp = crl.issuingDistributionPoint
  if (!idp) return undefined
  if (idp.indirectCRL) return 'is an indirect CRL (Issuing Distribution Point), which is not supported'
  if (idp.otherNames && !idp.fullNameUrls.includes(url))
    return 'Issuing Distribution Point names its scope by a non-URI name; cannot match it to the URL fetched'
  if (idp.fullNameUrls.length && !idp.fullNameUrls.includes(url))
    return (
      `Issuing Distribution Point names ${idp.fullNameUrls.join(', ')}, not the URL it was fetched from; ` +
      'a CRL for another shard cannot show this certificate is not revoked'
    )
  const isCa = cert.basicConstraints?.ca === true
  if (idp.onlyContainsUserCerts && isCa)
    return 'covers only end-entity certificates (onlyContainsUserCerts) but this is a CA'
  if (idp.onlyContainsCACerts && !isCa)
    return 'covers only CA certificates (onlyContainsCACerts) but this is not a CA'
  if (idp.onlyContainsAttributeCerts) return 'covers only attribute certificates (onlyContainsAttributeCerts)'
  if (idp.onlySomeReasons)
    return 'covers only some revocation reasons (onlySomeReasons); a complete CRL is needed'
  return undefined
}

/**
 * Revocation status of `cert` from every CRL its CRL Distribution Points
 * name. A serial listed on any verified CRL of its issuer is `revoked`,
 * whichever distribution point lists it: CAs that partition or move their
 * CRLs publish the newer list at a later point, and stopping at the first
 * CRL that does not list the serial would miss it. Otherwise `good` when some
 * CRL answered (the others' failures in the detail); when none did, the first
 * URL's outcome with the others' appended. Network failures are
 * `unreachable`, CRLs that fail verification or go back in number
 * (`deps.rollback`) `invalid`. The CRL the verdict rests on is written to
 * `--save-evidence` when set. At most MAX_URLS_PER_KIND distribution points
 * are consulted (the detail names the others), none once the run's deadline
 * has passed.
 */
export async function checkCrl(
  cert: Cert,
  issuer: Cert,
  options: CrlJudgeOptions & Pick<RevocationOptions, 'saveEvidenceDir' | 'deadline' | 'advise'>,
  deps: CrlDeps,
): Promise<Revocation> {
  if (cert.crlUrls.length === 0) {
    const instead = cert.ocspUrls.length ? `; it names only the OCSP responder ${cert.ocspUrls[0]}` : ''
    return {
      source: 'crl',
      status: 'unreachable',
      detail: `the certificate names no CRL distribution point, so ${options.advise('revocation', 'crl')} cannot check it${instead}`,
    }
  }
  const { tried, untried } = capUrls(cert.crlUrls, 'CRL distribution point')
  const outcomes: { result: Revocation; crl?: CrlIndex }[] = []
  for (const url of tried) {
    if (options.deadline?.signal.aborted) {
      const detail = options.deadline.reason(`fetching ${url}`)
      outcomes.push({ result: { source: 'crl', status: 'unreachable', url, detail } })
      continue
    }
    let crl: CrlIndex
    try {
      crl = await deps.loader.load(url, issuer)
    } catch (error) {
      outcomes.push({ result: loadFailure(url, error) })
      continue
    }
    const judged = judgeCrl(crl, url, cert, issuer, options)
    let result: Revocation = deps.loader.fromCache.has(url) ? { ...judged, cached: true } : judged
    if (result.status !== 'invalid') {
      const rollback = await deps.rollback?.checkCrl(issuer, url, crl.crlNumber, options.now)
      if (rollback) result = { ...result, status: 'invalid', detail: `CRL ${url}: ${rollback}` }
      else
        deps.evidence?.crls.push({
          url,
          thisUpdate: crl.thisUpdate,
          nextUpdate: crl.nextUpdate,
          bytes: crl.der.byteLength,
        })
    }
    outcomes.push({ result, crl })
  }
  const decided =
    outcomes.find((o) => o.result.status === 'revoked') ?? outcomes.find((o) => o.result.status === 'good')
  const failures = outcomes.filter((o) => o.result.status !== 'good' && o.result.status !== 'revoked')
  const [lead, ...others] = decided ? [decided, ...failures] : failures
  // The CRL the verdict rests on (a stale one too), never one that failed verification.
  if (lead.crl && lead.result.status !== 'invalid' && options.saveEvidenceDir)
    await saveEvidence(options.saveEvidenceDir, cert, 'crl', lead.crl.der)
  if (others.length === 0 && !untried) return lead.result
  return {
    ...lead.result,
    detail: [
      lead.result.detail,
      ...others.map((o) => `also ${o.result.detail}`),
      ...(untried ? [untried] : []),
    ].join('; '),
  }
}

function loadFailure(url: string, error: unknown): Revocation {
  if (error instanceof HttpError) return { source: 'crl', status: 'unreachable', url, detail: error.message }
  if (error instanceof CrlRejected) return { source: 'crl', status: 'invalid', url, detail: error.message }
  if (error instanceof CrlOverBudget)
    return { source: 'crl', status: 'unreachable', url, detail: error.message }
  if (error instanceof CrlParseError)
    return { source: 'crl', status: 'invalid', url, detail: `CRL ${url} is malformed: ${error.message}` }
  return { source: 'crl', status: 'unreachable', url, detail: `CRL ${url}: ${parserMessage(error)}` }
}
