import { capUrls } from '../net/url-cap.js'
import type { Cert } from '../model/cert.js'
import { EMPTY_NAME_KEY } from '../model/name-match.js'
import { issuanceVerdict, isSelfSigned, keyIdsConsistent, publicKeyOf } from './issuance.js'
import type { PoolEntry } from './pool.js'
import type { AnchorSource, PathContext, PathProblem, PathResult } from './types.js'
import { validatePath } from './validate.js'
import { flagAdvice } from '../setting-names.js'

const DEFAULT_MAX_INTERMEDIATES = 8
// Bounds the search however the pool is shaped (mesh of cross-signs, long
// self-issued runs): a served chain never needs more than this many steps.
const MAX_PATH_LENGTH = 16
// Signatures verified per path, the search's cost. Candidates whose subject
// key identifier matches the AKI are tried first and those whose identifiers
// contradict it cost nothing, so a real issuer is found at once even among
// hundreds of same-name decoys; the budget only stops a pool built to make
// the search explode (RFC 4158 §3.5 warns of such meshes).
const MAX_SIGNATURE_CHECKS = 1024

interface CompletePath {
  path: Cert[]
  anchorSource: AnchorSource
  problems: PathProblem[]
}

/** What a failed search saw, to explain the failure. */
interface SearchState {
  /** Signatures verified so far; past MAX_SIGNATURE_CHECKS the search stops. */
  checks: number
  /** The certificate whose issuers were being tried when the budget ran out. */
  exhaustedAt?: Cert
  invalid?: CompletePath
  longestPartial: Cert[]
  /** Candidates that match by name but whose signature does not verify, by subject sha256. */
  badSignatures: Map<string, PathProblem>
}

const hexColons = (hex: string) => hex.match(/../g)?.join(':') ?? hex

/**
 * Builds and validates the path from `cert` to a trust anchor (RFC 5280
 * §6.1; RFC 4158 path building). Depth first over the pool and the anchors,
 * trying the most plausible issuer first (AKI matching SKI, valid at `now`,
 * a trust anchor) and backtracking when a candidate leads nowhere or to an
 * invalid path, so cross-signed alternatives are found. Cycles are cut by
 * refusing a certificate, or a CA with the same name and key, twice on one
 * path. Missing issuers are fetched from caIssuers when ctx.fetchIssuer is
 * given.
 *
 * Returns 'valid' with the path; 'invalid' with the problems of the best
 * complete path (or a signature that does not verify); 'incomplete' with a
 * chain-incomplete problem naming the issuer that could not be found.
 */
export async function buildPath(cert: Cert, ctx: PathContext): Promise<PathResult> {
  const state: SearchState = { checks: 0, longestPartial: [cert], badSignatures: new Map() }
  const found = await extend([cert], ctx, state)
  if (found) return { status: 'valid', path: found.path, anchorSource: found.anchorSource, problems: [] }
  if (state.invalid) return { status: 'invalid', ...state.invalid }
  const top = state.longestPartial[state.longestPartial.length - 1]
  if (state.exhaustedAt) {
    return { status: 'incomplete', path: state.longestPartial, problems: [budgetSpent(state.exhaustedAt)] }
  }
  // A self-signed certificate verifies with its own key: a same-name certificate whose key does not is no evidence against it.
  const badSignature = isSelfSigned(top) ? undefined : state.badSignatures.get(top.sha256)
  if (badSignature) return { status: 'invalid', path: state.longestPartial, problems: [badSignature] }
  return { status: 'incomplete', path: state.longestPartial, problems: [missingIssuer(top, ctx)] }
}

function budgetSpent(cert: Cert): PathProblem {
  return {
    rule: 'chain-incomplete',
    cert,
    message: `path building gave up after ${MAX_SIGNATURE_CHECKS} signature checks while looking for the issuer of ${cert.subject} among certificates named ${cert.issuer}; remove certificates of that name that did not issue it, or give the issuer's subject key identifier in its authority key identifier`,
  }
}

function missingIssuer(top: Cert, ctx: PathContext): PathProblem {
  const advise = ctx.advise ?? flagAdvice
  if (isSelfSigned(top)) {
    return {
      rule: 'chain-incomplete',
      cert: top,
      message: `the path ends at self-signed ${top.subject}, which is not a trusted root; pass it with ${advise('trust')} if it is your private root`,
    }
  }
  if (top.issuerKey === EMPTY_NAME_KEY) {
    return {
      rule: 'chain-incomplete',
      cert: top,
      message: `${top.subject} has an empty issuer name (RFC 5280 §4.1.2.4), so no CA can be identified as its issuer`,
    }
  }
  const aki = top.authorityKeyId ? ` (AKI ${hexColons(top.authorityKeyId)})` : ''
  const { tried, untried } = capUrls(top.caIssuersUrls, 'caIssuers URL')
  const late = ctx.deadline?.signal.aborted
    ? `; ${ctx.deadline.reason('every caIssuers URL was fetched')}`
    : ''
  const fetched =
    ctx.fetchIssuer && tried.length > 0
      ? `, nor at ${tried.join(', ')}${untried ? ` (${untried})` : ''}${late}`
      : ''
  // Above a leaf the missing certificate is an intermediate; above a CA it is
  // most often the root, which only --trust makes an anchor (--issuer would
  // just move the complaint one step up), so that advice comes first.
  const advice = top.basicConstraints?.ca
    ? `if it is your root, pass it with ${advise('trust')}; if it is an intermediate, add it to the file or pass ${advise('issuer')}`
    : `add the intermediate to the file or pass ${advise('issuer')}`
  return {
    rule: 'chain-incomplete',
    cert: top,
    message: `no issuer found for ${top.subject}${aki}: ${top.issuer} is not among the trust anchors or the scanned certificates${fetched}; ${advice}`,
  }
}

async function extend(path: Cert[], ctx: PathContext, state: SearchState): Promise<CompletePath | undefined> {
  if (path.length > state.longestPartial.length) state.longestPartial = path
  const top = path[path.length - 1]
  const anchorSource = ctx.anchors.anchorSourceOf(top)
  if (anchorSource) {
    const complete = { path, anchorSource, problems: validate(path, ctx) }
    if (complete.problems.length === 0) return complete
    if (!state.invalid || complete.problems.length < state.invalid.problems.length) state.invalid = complete
  }
  if (path.length >= MAX_PATH_LENGTH || (path.length > 1 && isSelfSigned(top))) return undefined
  for (const candidate of await candidatesFor(top, path, ctx)) {
    if (state.exhaustedAt) return undefined
    if (keyIdsConsistent(top, candidate.cert) && ++state.checks > MAX_SIGNATURE_CHECKS) {
      state.exhaustedAt = top
      return undefined
    }
    const verdict = issuanceVerdict(top, candidate.cert)
    if (verdict === 'bad-signature' && !state.badSignatures.has(top.sha256)) {
      state.badSignatures.set(top.sha256, {
        rule: 'signature-invalid',
        cert: top,
        message: `the signature of ${top.subject} does not verify with the key of ${candidate.cert.subject}, and no issuer by that name was found whose key it verifies with`,
      })
    }
    if (verdict !== 'issued') continue
    const next = [...path, candidate.cert]
    if (intermediatesIn(next) > (ctx.maxIntermediates ?? DEFAULT_MAX_INTERMEDIATES) + 1) continue
    const found = await extend(next, ctx, state)
    if (found) return found
  }
  return undefined
}

/**
 * Non-self-issued certificates after the leaf; the last one is the anchor
 * when the path is complete, hence the +1 allowance at the call site.
 */
function intermediatesIn(path: readonly Cert[]): number {
  return path.slice(1).filter((c) => !c.selfIssued).length
}

function validate(path: Cert[], ctx: PathContext): PathProblem[] {
  const intermediates = path.slice(1, -1).filter((c) => !c.selfIssued).length
  const max = ctx.maxIntermediates ?? DEFAULT_MAX_INTERMEDIATES
  const depth: PathProblem[] =
    intermediates > max
      ? [
          {
            rule: 'path-length-exceeded',
            cert: path[0],
            message: `the path has ${intermediates} intermediate CAs; at most ${max} are accepted`,
          },
        ]
      : []
  return [...depth, ...validatePath(path, { now: ctx.now, purpose: ctx.purpose ?? 'server' })]
}

/** Issuer candidates for `top` not already on the path, most plausible first. */
async function candidatesFor(top: Cert, path: readonly Cert[], ctx: PathContext): Promise<PoolEntry[]> {
  // A CA is its name and key: the same pair twice on one path is a cycle. Keys are compared only on a name match.
  const onPath = (cert: Cert) =>
    path.some((c) => c.subjectKey === cert.subjectKey && publicKeyOf(c) === publicKeyOf(cert))
  const gather = (): PoolEntry[] => {
    const seen = new Set<string>()
    return [...ctx.anchors.candidatesFor(top), ...ctx.pool.candidatesFor(top)].filter((e) => {
      if (seen.has(e.cert.sha256)) return false
      seen.add(e.cert.sha256)
      return e.cert !== top && !onPath(e.cert)
    })
  }
  let candidates = gather()
  if (candidates.length === 0 && ctx.fetchIssuer && top.caIssuersUrls.length > 0) {
    await ctx.pool.fetchIssuers(top, ctx.fetchIssuer)
    candidates = gather()
  }
  // Key identifiers first: a matching SKI names the issuer's very key (RFC 5280 §4.2.1.1), so the
  // search tries it before any same-name certificate; then certificates valid now, then anchors.
  const score = (e: PoolEntry): number =>
    (top.authorityKeyId && top.authorityKeyId === e.cert.subjectKeyId ? 4 : 0) +
    (e.cert.notBefore <= ctx.now && ctx.now <= e.cert.notAfter ? 2 : 0) +
    (ctx.anchors.anchorSourceOf(e.cert) ? 1 : 0)
  return candidates.sort((a, b) => score(b) - score(a))
}
