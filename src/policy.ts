// Statuses and findings in, pass or fail out. The only place that knows what
// --fail-on and --soft-fail mean.
import type { Finding, Revocation, RevocationStatus } from './model/types.js'
import type { FailToken } from './options.js'

export interface Policy {
  failOn: ReadonlySet<FailToken>
  softFail: boolean
}

const FAILABLE_STATUSES: readonly RevocationStatus[] = [
  'revoked',
  'unknown',
  'stale',
  'invalid',
  'unreachable',
]

/** Statuses that can fail the gate (when --fail-on lists them). */
export const isFailableStatus = (status: string): boolean =>
  (FAILABLE_STATUSES as readonly string[]).includes(status)

/**
 * Why one item (a certificate, file or endpoint) fails the gate; empty when
 * it passes. Ignored findings never count. With --soft-fail an unreachable
 * responder is a warning, as browsers treat it, so it fails only when
 * warnings do.
 */
export function failureReasons(
  policy: Policy,
  findings: readonly Finding[],
  revocation?: Revocation,
): string[] {
  const reasons: string[] = []
  if (revocation && FAILABLE_STATUSES.includes(revocation.status)) {
    const status = revocation.status
    const token: FailToken = status === 'unreachable' && policy.softFail ? 'warning' : (status as FailToken)
    if (policy.failOn.has(token)) reasons.push(`revocation ${status}`)
  }
  for (const f of findings) {
    if (f.ignored) continue
    if (f.severity === 'error' && policy.failOn.has('error')) reasons.push(f.rule)
    if (f.severity === 'warning' && policy.failOn.has('warning')) reasons.push(f.rule)
  }
  return reasons
}

/** Counts a revocation status as a warning when --soft-fail downgrades it. */
export function isSoftFailed(policy: Policy, revocation?: Revocation): boolean {
  return policy.softFail && revocation?.status === 'unreachable'
}

/** Reasons with their counts, most frequent first, then by name: "chain-order (3)", "revocation revoked". */
export function formatReasons(counts: ReadonlyMap<string, number>): string[] {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([r, n]) => (n > 1 ? `${r} (${n})` : r))
}
