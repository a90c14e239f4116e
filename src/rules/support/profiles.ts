import { PROFILES } from '../../model/types.js'
import type { Profile, Severity } from '../../model/types.js'

/** A severity table for rules that run the same in the profiles named (all by default). */
export function severityIn(
  severity: Severity,
  profiles: readonly Profile[] = PROFILES,
): Partial<Record<Profile, Severity>> {
  return Object.fromEntries(profiles.map((profile) => [profile, severity]))
}
