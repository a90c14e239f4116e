// Chains as a Mermaid flowchart, which GitHub renders in job summaries:
// leaf → intermediates → anchor, one node per certificate (shared
// intermediates drawn once), coloured by what the gate thinks of it, and a
// dashed "issuer not found" node where a path stops short of an anchor.
import { isFailableStatus } from '../policy.js'
import type { CertificateReport, Report } from './types.js'

/** Beyond this many chains the diagram stops helping; the table has them all. */
export const MAX_CHAINS = 40

type NodeClass = 'fail' | 'warn' | 'ok' | 'anchor' | 'outside' | 'missing'

const CLASS_STYLES: Record<NodeClass, string> = {
  fail: 'fill:#ffebe9,stroke:#cf222e,color:#1f2328',
  warn: 'fill:#fff8c5,stroke:#9a6700,color:#1f2328',
  ok: 'fill:#dafbe1,stroke:#1a7f37,color:#1f2328',
  anchor: 'fill:#ddf4ff,stroke:#0969da,color:#1f2328',
  outside: 'fill:#f6f8fa,stroke:#8c959f,color:#1f2328',
  missing: 'fill:#ffffff,stroke:#cf222e,stroke-dasharray:4 3,color:#cf222e',
}

/**
 * Subjects come from untrusted certificates: only letters, digits and a few
 * harmless punctuation marks reach the diagram source, so a subject cannot
 * close a label, start a directive or smuggle markup.
 */
const label = (s: string, max = 42): string => {
  const clean = s
    .replace(/[^\p{L}\p{N} .,:;=@/_+*()'·-]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

/**
 * The most telling part of a distinguished name: its CN, else the whole
 * name, with the RFC 4514 escapes of the name string undone.
 */
export function shortName(subject: string): string {
  const cn = /(?:^|,\s*)CN=((?:\\.|[^,\\])+)/.exec(subject)
  if (!cn) return subject || '(empty subject)'
  return cn[1].replace(/\\([0-9a-fA-F]{2}|.)/g, (_, c: string) =>
    c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c,
  )
}

/**
 * How a certificate stands: failing the gate, worth a look (a warning, or a
 * failing revocation status that --fail-on or --soft-fail let pass), or fine.
 */
export function standingOf(c: CertificateReport): 'fail' | 'warn' | 'ok' {
  if (c.failed) return 'fail'
  const warned =
    isFailableStatus(c.revocation.status) || c.findings.some((f) => !f.ignored && f.severity === 'warning')
  return warned ? 'warn' : 'ok'
}

/** What a certificate's node says under its name. */
function statusLine(c: CertificateReport): string {
  const errors = c.findings.filter((f) => !f.ignored && f.severity === 'error').map((f) => f.rule)
  const revocation = ['good', 'skipped', 'exempt'].includes(c.revocation.status) ? [] : [c.revocation.status]
  const problems = [...revocation, ...errors]
  if (problems.length) return problems.slice(0, 2).join(', ') + (problems.length > 2 ? ' …' : '')
  return c.revocation.status === 'good' ? 'good' : c.role
}

export interface ChainDiagram {
  mermaid: string
  drawn: number
  omitted: number
}

/** The chains of the report's certificates, failing ones first; undefined when there is nothing to draw. */
export function chainDiagram(report: Report): ChainDiagram | undefined {
  // A certificate may sit in several files (an intermediate in every fullchain). What is wrong with the
  // certificate itself is the same in each; what differs is how a file arranges it (chain-order), which the
  // table shows per file. The node shows the certificate, so its best-judged occurrence.
  const bySha = new Map<string, CertificateReport>()
  for (const c of report.certificates) {
    const seen = bySha.get(c.sha256)
    if (!seen || (seen.failed && !c.failed)) bySha.set(c.sha256, c)
  }
  const rank = (c: CertificateReport) => ['fail', 'warn', 'ok'].indexOf(standingOf(c))
  const roleRank = { leaf: 0, intermediate: 1, root: 2 } as const
  // Every certificate is drawn: on a chain, or alone (a self-signed certificate nothing chains to).
  const starts = [...bySha.values()].sort((a, b) => roleRank[a.role] - roleRank[b.role] || rank(a) - rank(b))

  const ids = new Map<string, string>()
  const idOf = (sha: string) => {
    if (!ids.has(sha)) ids.set(sha, `c${ids.size}`)
    return ids.get(sha)!
  }
  const nodes: string[] = []
  const edges = new Set<string>()
  const classes = new Map<NodeClass, string[]>()
  const addClass = (cls: NodeClass, id: string) => {
    const members = classes.get(cls)
    if (members) members.push(id)
    else classes.set(cls, [id])
  }
  const node = (sha: string, text: string, sub: string, cls: NodeClass) => {
    if (ids.has(sha)) return idOf(sha)
    const id = idOf(sha)
    nodes.push(`  ${id}["${label(text)}<br/><small>${label(sub, 60)}</small>"]`)
    addClass(cls, id)
    return id
  }
  const classOf = (c: CertificateReport): NodeClass => standingOf(c)

  let drawn = 0
  for (const start of starts) {
    if (ids.has(start.sha256)) continue // already drawn on another certificate's chain
    if (drawn === MAX_CHAINS) break
    drawn++
    let below = node(start.sha256, shortName(start.subject), statusLine(start), classOf(start))
    for (const link of start.chain ?? []) {
      const scanned = bySha.get(link.sha256)
      // A failing anchor shows as failing; otherwise anchors stand apart in blue.
      const id = scanned
        ? node(
            link.sha256,
            shortName(link.subject),
            statusLine(scanned),
            link.anchor && !scanned.failed ? 'anchor' : classOf(scanned),
          )
        : node(
            link.sha256,
            shortName(link.subject),
            link.anchor ? `anchor · ${link.file}` : link.file,
            link.anchor ? 'anchor' : 'outside',
          )
      edges.add(`  ${below} --> ${id}`)
      below = id
    }
    if (start.chainStatus === 'incomplete') {
      const missing = `${below}_missing`
      nodes.push(`  ${missing}["issuer not found"]`)
      addClass('missing', missing)
      edges.add(`  ${below} -.-> ${missing}`)
    }
  }
  if (drawn === 0) return undefined
  const omitted = starts.filter((c) => !ids.has(c.sha256)).length
  const lines = [
    'flowchart LR',
    ...nodes,
    ...edges,
    ...Object.entries(CLASS_STYLES).map(([cls, style]) => `  classDef ${cls} ${style}`),
    ...[...classes.entries()].map(([cls, list]) => `  class ${list.join(',')} ${cls}`),
  ]
  return { mermaid: lines.join('\n'), drawn, omitted }
}
