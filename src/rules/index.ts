// Runs the rule registry over one certificate and applies the user's rule
// settings (severity overrides, ignores). Rules themselves stay pure.
import picomatch from 'picomatch'
import type { Cert } from '../model/cert.js'
import type { Finding, Profile, Severity } from '../model/types.js'
import type { IgnoreEntry, RuleSettings } from '../options.js'
import type { RuleOf } from './rule.js'
import { injectFault, internalErrorFinding } from '../contain.js'

/**
 * Runs every rule that applies under the profile and to the certificate's
 * age: the certificate rules on a RuleContext, the evidence rules on an
 * EvidenceContext.
 */
export function lintCertificate<C extends { cert: Cert; profile: Profile }>(
  rules: readonly RuleOf<C>[],
  ctx: C,
): Finding[] {
  const findings: Finding[] = []
  for (const rule of rules) {
    const severity = rule.severity[ctx.profile]
    if (!severity) continue
    // A requirement newer than the certificate does not judge it.
    if (rule.effective && ctx.cert.notBefore < new Date(rule.effective)) continue
    try {
      injectFault('rules', `${rule.id} ${ctx.cert.source.file}`)
      if (!rule.appliesTo(ctx)) continue
      for (const r of rule.check(ctx)) {
        findings.push({ rule: rule.id, severity: r.severity ?? severity, message: r.message, line: r.line })
      }
    } catch (err) {
      // Rules read a model built from bytes that parsed: a rule that throws is
      // a bug, and must not hide the others' findings nor let the certificate pass.
      findings.push(internalErrorFinding(`running rule ${rule.id} on this certificate`, err))
    }
  }
  return findings
}

/** The ignore entry each ignored finding was matched by: what ignore-unused reads. */
const ignoredBy = new WeakMap<Finding, IgnoreEntry>()

/** The configured ignore that matched this finding, if one did. */
export const ignoreOf = (finding: Finding): IgnoreEntry | undefined => ignoredBy.get(finding)

/**
 * Applies configured severities ("off" drops the finding) and ignores (the
 * finding stays, marked with its reason, and no longer counts).
 */
export function applyRuleSettings(
  findings: readonly Finding[],
  settings: RuleSettings,
  where: { file: string; sha256?: string },
): Finding[] {
  const out: Finding[] = []
  for (const f of findings) {
    const override = settings.severity[f.rule]
    if (override === 'off') continue
    const severity: Severity = override ?? f.severity
    const ignore = settings.ignore.find(
      (i) =>
        (i.rule === undefined || i.rule === f.rule) &&
        (i.path === undefined || matchPath(i.path, where.file)) &&
        (i.fingerprint === undefined || i.fingerprint === where.sha256),
    )
    const finding: Finding = { ...f, severity, ...(ignore ? { ignored: ignore.reason } : {}) }
    if (ignore) ignoredBy.set(finding, ignore)
    out.push(finding)
  }
  return out
}

const matchers = new Map<string, (path: string) => boolean>()
/** Whether a path as reports show it matches a config glob (ignores, expect), dot files included. */
export function matchPath(glob: string, file: string): boolean {
  let m = matchers.get(glob)
  if (!m) {
    m = picomatch(glob, { dot: true })
    matchers.set(glob, m)
  }
  return m(file)
}
