// A RuleContext for one certificate judged alone, with the CLI's defaults:
// a leaf in the public-tls profile, judged now, expiry warning 30d / error 7d,
// in a file that holds only this certificate.
import type * as x509 from '../../src/model/x509.js'
import type { Cert } from '../../src/model/cert.js'
import type { Profile, Severity } from '../../src/model/types.js'
import type { EvidenceContext, Rule, RuleContext, RuleOf } from '../../src/rules/rule.js'
import { ext, issue, webPki, type IssueOptions, type Issued } from '../helpers/pki.js'
import { pathOf } from '../chain/fixtures.js'

const DAY_MS = 86_400_000

export function contextFor(cert: Cert, overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    cert,
    role: 'leaf',
    fileCerts: [cert],
    served: { isChain: false, outOfOrder: new Map(), duplicateOf: new Map(), roots: [] },
    profile: 'public-tls',
    now: new Date(),
    expiryWarningMs: 30 * DAY_MS,
    expiryErrorMs: 7 * DAY_MS,
    ...overrides,
  }
}

/** An EvidenceContext for one leaf in the public-tls profile, judged now, with no evidence unless given. */
export function evidenceContextFor(cert: Cert, overrides: Partial<EvidenceContext> = {}): EvidenceContext {
  return {
    cert,
    role: 'leaf',
    profile: 'public-tls',
    now: new Date(),
    revocation: { crls: [], ocsp: [] },
    ...overrides,
  }
}

/** A finding as the registry would report it: the result with its severity resolved. */
export interface Judged {
  severity: Severity
  message: string
}

/**
 * Runs one rule the way the registry does: only in the profiles it lists,
 * only for certificates issued on or after its effective date, and only
 * where it applies; each result takes the profile's severity unless it names one.
 */
export function judge<C extends { cert: Cert; profile: Profile }>(rule: RuleOf<C>, ctx: C): Judged[] {
  const severity = rule.severity[ctx.profile]
  if (!severity) return []
  if (rule.effective && ctx.cert.notBefore.getTime() < Date.parse(rule.effective)) return []
  if (!rule.appliesTo(ctx)) return []
  return rule.check(ctx).map((result) => ({ severity: result.severity ?? severity, message: result.message }))
}

let testCa: Promise<Issued> | undefined

/** One CA per test file, made on first use; rules read only the certificate they judge. */
export function ca(): Promise<Issued> {
  testCa ??= issue({ cn: 'certgate Rules Test CA', extensions: [ext.ca(), ext.caKeyUsage()], days: 3650 })
  return testCa
}

/** A certificate issued by the test CA with exactly the extensions given (plus SKI/AKI). */
export async function issued(
  extensions: x509.Extension[],
  options: Partial<IssueOptions> = {},
): Promise<Cert> {
  return (await issue({ cn: 'leaf.test', issuer: await ca(), extensions, ...options })).model
}

/** The extensions of a well-formed TLS server leaf, without revocation pointers. */
export const serverLeaf = (): x509.Extension[] => [
  ext.notCa(),
  ext.leafKeyUsage(),
  ext.serverAuth(),
  ext.san('leaf.test'),
]

/**
 * Asserts that a path rule finds nothing on a valid root → intermediate → leaf
 * chain, and returns that PKI for the failing half of the test.
 */
export async function passesOnValidChain(rule: Rule): Promise<Awaited<ReturnType<typeof webPki>>> {
  const pki = await webPki()
  const path = await pathOf(pki.leaf, { pool: [pki.intermediate], trust: [pki.root] })
  expect(judge(rule, contextFor(pki.leaf.model, { path }))).toEqual([])
  return pki
}
