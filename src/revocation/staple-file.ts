// Stored OCSP responses (`--staple FILE`, *.ocsp / *.der-staple, Caddy's
// persisted staples): matched to the loaded certificate their CertID names
// and judged like a fetched response, or judged alone (like
// `openssl ocsp -respin`) when they name none.
import type { Cert } from '../model/cert.js'
import type { Finding, Profile, Revocation } from '../model/types.js'
import { rule as stapleStale } from '../rules/staple-stale.js'
import { describeSpan } from '../model/span.js'
import { judgeOcspResponse, normaliseSerial, type OcspJudgeInput } from './ocsp/verify.js'
import { parseOcspResponse, type ParsedOcspResponse } from './ocsp/response.js'
import { groupBy } from '../model/group-by.js'

export interface StapleCandidate {
  cert: Cert
  issuer?: Cert
}

/** Candidates by serial (normalised hex): a response is tried only on those it answers for. */
export type StapleCandidates = ReadonlyMap<string, readonly StapleCandidate[]>

/** Indexes the loaded certificates once, so matching a stored response does not walk them all. */
export function indexCandidates(candidates: Iterable<StapleCandidate>): StapleCandidates {
  return groupBy(candidates, (c) => normaliseSerial(c.cert.serial))
}

export interface StoredResponseVerdict {
  revocation: Revocation
  /** The serial the response answers for (hex). */
  serial?: string
  /** The loaded certificate it was matched to, if any. */
  matched?: Cert
}

/**
 * Judges a stored response. A candidate matches when the response answers for
 * its serial with the CertID hashes of its issuer (or of one of
 * `fileIssuers`, from `--issuer`/`--trust`). With no match it is judged alone:
 * exactly one answer, authenticated against `fileIssuers`. Stapled responses
 * carry no nonce, so freshness rests on thisUpdate/nextUpdate alone; the
 * detail says how long until nextUpdate so operators see a staple ageing.
 */
export async function judgeStoredResponse(
  der: Uint8Array,
  candidates: StapleCandidates | readonly StapleCandidate[],
  fileIssuers: Cert[],
  options: OcspJudgeInput['options'],
): Promise<StoredResponseVerdict> {
  const bySerial = 'get' in candidates ? candidates : indexCandidates(candidates)
  // Parsed once here; a malformed one is left to the overview, which says why.
  let parsed: ParsedOcspResponse | undefined
  try {
    parsed = parseOcspResponse(der)
  } catch {
    parsed = undefined
  }
  const overview = await judgeOcspResponse({ der, parsed, issuers: fileIssuers, options })
  // Only certificates whose serial the response answers for can match: verify
  // once per plausible candidate, not once per loaded certificate.
  const answered = new Set(overview.facts?.responses.map((r) => r.serial) ?? [])
  const plausible = [...answered].flatMap((serial) => bySerial.get(serial) ?? [])
  for (const { cert, issuer } of plausible) {
    const judgement = await judgeOcspResponse({
      der,
      parsed,
      issuers: [...(issuer ? [issuer] : []), ...fileIssuers],
      serial: cert.serial,
      options,
    })
    if (judgement.issuer) {
      return {
        revocation: asStaple(judgement.revocation, options.now),
        serial: judgement.serial,
        matched: cert,
      }
    }
  }
  return {
    revocation: asStaple(overview.revocation, options.now),
    serial: overview.serial ?? overview.facts?.responses[0]?.serial,
  }
}

/**
 * The staple-stale finding (RFC 6960 §4.2.2.1) for a staple judged stale:
 * one a server sent (`stapled`) or one stored on disk for a server to send
 * (`stored`); none when it is not stale or the profile does not run the rule.
 */
export function staleStapleFindings(
  revocation: Revocation | undefined,
  profile: Profile,
  kind: 'stapled' | 'stored',
): Finding[] {
  const severity = stapleStale.severity[profile]
  if (revocation?.status !== 'stale' || !severity) return []
  const why = `nextUpdate ${revocation.nextUpdate ?? 'absent'}${revocation.detail ? `: ${revocation.detail}` : ''}`
  const fix =
    kind === 'stapled'
      ? 'the server is not refreshing it'
      : 'whatever refreshes this file (the server, a renewal job) has stopped; clients given it reject it'
  return [{ rule: stapleStale.id, severity, message: `the ${kind} OCSP response is stale (${why}); ${fix}` }]
}

function asStaple(revocation: Revocation, now: Date): Revocation {
  const staple: Revocation = { ...revocation, source: 'staple' }
  if (staple.status === 'good' && staple.nextUpdate) {
    staple.detail = `nextUpdate in ${describeSpan(Date.parse(staple.nextUpdate) - now.getTime())}`
  }
  return staple
}
