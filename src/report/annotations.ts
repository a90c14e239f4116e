// The annotations a run makes, planned before any is emitted. GitHub shows the
// first ten error and the first ten warning annotations of a step, so
// what fails the gate comes first — a revocation, then the errors of failing
// certificates — and the rest goes to the job summary, which says how many
// were not shown. The same certificate in many files (one intermediate in
// every fullchain.pem) is one annotation naming the other places, not ten
// copies crowding out everything else.
import { isFailableStatus } from '../policy.js'
import type { Finding, Revocation } from '../model/types.js'
import type { Report } from './types.js'

/** Error annotations, and warning annotations, GitHub shows per step (its documented limit). */
export const ANNOTATIONS_SHOWN_PER_LEVEL = 10

export type AnnotationLevel = 'error' | 'warning' | 'notice'

export interface Annotation {
  level: AnnotationLevel
  file: string
  line: number
  title: string
  message: string
}

interface Planned extends Annotation {
  /** Lower comes first within a level. */
  rank: number
  /** Where else the same certificate carries the same finding or verdict. */
  alsoAt: string[]
}

const LEVEL_ORDER: AnnotationLevel[] = ['error', 'warning', 'notice']
const levelOf = (f: Finding): AnnotationLevel =>
  f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice'

// Within a level: a revoked certificate, then other revocation failures, then
// the findings of what fails the gate, then the rest.
const RANK = { revoked: 0, revocation: 1, failing: 2, other: 3 } as const

/** Every annotation the report calls for, once per certificate and finding, most important first. */
export function planAnnotations(report: Report): Annotation[] {
  const planned: Planned[] = []
  const byKey = new Map<string, Planned>()
  const add = (annotation: Omit<Planned, 'alsoAt'>, sameAs?: string) => {
    const earlier = sameAs === undefined ? undefined : byKey.get(sameAs)
    if (earlier) return earlier.alsoAt.push(`${annotation.file}:${annotation.line}`)
    const entry = { ...annotation, alsoAt: [] }
    planned.push(entry)
    if (sameAs !== undefined) byKey.set(sameAs, entry)
  }
  const finding = (f: Finding, file: string, line: number, failed: boolean) => ({
    level: levelOf(f),
    file,
    line: f.line ?? line,
    title: `certgate ${f.rule}`,
    message: f.message,
    rank: failed ? RANK.failing : RANK.other,
  })
  // A failing status is an error when it fails the gate, a warning when --fail-on or --soft-fail let it pass.
  const revocation = (r: Revocation, what: string, file: string, line: number, failed: boolean) => ({
    level: failed ? ('error' as const) : ('warning' as const),
    file,
    line,
    title: `certgate revocation ${r.status}`,
    message: `${what}: revocation ${r.status}${r.detail ? `: ${r.detail}` : ''}`,
    rank: r.status === 'revoked' ? RANK.revoked : RANK.revocation,
  })

  for (const file of report.files) {
    for (const f of file.findings) if (!f.ignored) add(finding(f, file.file, 1, file.failed))
    if (file.revocation && isFailableStatus(file.revocation.status))
      add(revocation(file.revocation, 'stored OCSP response', file.file, 1, file.failed))
  }
  for (const cert of report.certificates) {
    for (const f of cert.findings) {
      if (!f.ignored)
        add(
          finding(f, cert.file, cert.line, cert.failed),
          `${cert.sha256}|${f.severity}|${f.rule}|${f.message}`,
        )
    }
    const r = cert.revocation
    if (isFailableStatus(r.status))
      add(
        revocation(r, cert.subject, cert.file, cert.line, cert.failed),
        `${cert.sha256}|revocation|${cert.failed}|${r.status}|${r.detail ?? ''}`,
      )
  }

  const order = (a: Planned, b: Planned) =>
    LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level) || a.rank - b.rank
  // Array.prototype.sort is stable: equal ranks keep the report's order.
  return planned.sort(order).map(({ rank: _rank, alsoAt, ...a }) => ({
    ...a,
    message: alsoAt.length ? `${a.message} ${alsoWhere(alsoAt)}` : a.message,
  }))
}

function alsoWhere(places: string[]): string {
  const named = places.slice(0, 3).join(', ')
  const more = places.length > 3 ? ` and ${places.length - 3} more` : ''
  return `(the same certificate also at ${named}${more})`
}

/** The annotations GitHub will show, and those it drops: errors and warnings past the first ten of each. */
export function splitByLimit(annotations: readonly Annotation[]): {
  shown: Annotation[]
  notShown: Annotation[]
} {
  const seen: Record<AnnotationLevel, number> = { error: 0, warning: 0, notice: 0 }
  const shown: Annotation[] = []
  const notShown: Annotation[] = []
  for (const a of annotations) {
    const limited = a.level !== 'notice' && ++seen[a.level] > ANNOTATIONS_SHOWN_PER_LEVEL
    ;(limited ? notShown : shown).push(a)
  }
  return { shown, notShown }
}
