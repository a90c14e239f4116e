// Containment (DESIGN.md "Bounds"): a failure while judging one file,
// certificate, stored response or endpoint must not end the run. An
// exception there is a bug in certgate, not a verdict on the input; it
// becomes an internal-error finding on that item (and, for a revocation
// check, an `invalid` status), every other item is judged as usual, and the
// report, outputs, summary, annotations and SARIF are all written.
import type { Finding } from './model/types.js'
import { rule as internalError } from './rules/internal-error.js'

/** The places check() contains failures at, one item at a time. */
export type Stage = 'load' | 'chain' | 'rules' | 'revocation' | 'staple' | 'evidence' | 'endpoint' | 'report'

/** CERTGATE_FAULT as read when the run began (see armFaults). */
let faultSpec: string | undefined

/**
 * Reads CERTGATE_FAULT once per run (check() calls it first): injectFault
 * runs per rule per certificate, and reading the environment costs more
 * than the rule itself.
 */
export function armFaults(): void {
  faultSpec = process.env.CERTGATE_FAULT || undefined
}

/**
 * For tests: CERTGATE_FAULT="STAGE:TEXT[,STAGE:TEXT...]" makes `stage` throw
 * for every item whose description contains TEXT (a file name, a rule id),
 * so a test can prove the run survives a bug it cannot otherwise provoke,
 * in-process or through the bundled CLI and action. Unset, it does nothing.
 */
export function injectFault(stage: Stage, item: string): void {
  if (!faultSpec) return
  for (const entry of faultSpec.split(',')) {
    const at = entry.indexOf(':')
    const [faultStage, text] = at < 0 ? [entry, ''] : [entry.slice(0, at), entry.slice(at + 1)]
    if (faultStage === stage && item.includes(text)) {
      throw new Error(`fault injected by CERTGATE_FAULT at ${stage} for ${item}`)
    }
  }
}

/** The error's first line, whatever was thrown. */
export function errorText(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  return message.split('\n')[0].slice(0, 300)
}

/** What an operator is told: what certgate was doing, what broke, and that the item was not judged. */
export function internalErrorMessage(doing: string, error: unknown): string {
  return `certgate failed while ${doing} (${errorText(error)}); this is a bug in certgate, please report it: the rest of the run was judged as usual`
}

export function internalErrorFinding(doing: string, error: unknown): Finding {
  return { rule: internalError.id, severity: 'error', message: internalErrorMessage(doing, error) }
}

/**
 * The internal errors of one run, by the item they happened on: a loaded
 * file (by identity), a certificate (by sha256, as every stage after loading
 * knows it) or an endpoint (by its label). The report stage puts them on
 * their items.
 */
export class Incidents {
  private readonly byItem = new Map<object | string, Finding[]>()

  record(item: object | string, doing: string, error: unknown): Finding {
    const finding = internalErrorFinding(doing, error)
    const list = this.byItem.get(item)
    // A certificate listed in several files fails the same way for each: once is enough.
    if (list?.some((f) => f.message === finding.message)) return finding
    if (list) list.push(finding)
    else this.byItem.set(item, [finding])
    return finding
  }

  of(item: object | string): Finding[] {
    return this.byItem.get(item) ?? []
  }

  /** Runs `work` for `item`; a throw is recorded on the item and `fallback` is the result. */
  guard<T>(item: object | string, doing: string, work: () => T, fallback: (error: unknown) => T): T {
    try {
      return work()
    } catch (error) {
      this.record(item, doing, error)
      return fallback(error)
    }
  }

  /** guard() for asynchronous work. */
  async guardAsync<T>(
    item: object | string,
    doing: string,
    work: () => Promise<T>,
    fallback: (error: unknown) => T,
  ): Promise<T> {
    try {
      return await work()
    } catch (error) {
      this.record(item, doing, error)
      return fallback(error)
    }
  }
}
