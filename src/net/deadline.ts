// The run's deadline (`--deadline`): one budget for all of a run's network
// work (OCSP, CRLs, caIssuers, ARI, endpoints), however many certificates
// and URLs there are. Per-request timeouts and retries bound one request;
// only this bounds a certificate with a thousand tarpit URLs, or a thousand
// certificates behind one slow responder. What is not done when it passes
// is reported `unreachable` with the reason, and the report is still written.

import { setMaxListeners } from 'node:events'

/** The abort reason of a run deadline's signal: its message is the reason reports give. */
export class DeadlineReached extends Error {
  override name = 'DeadlineReached'
}

export interface RunDeadline {
  /** Aborted when the deadline passes: requests in flight end, new ones are not started. */
  readonly signal: AbortSignal
  /** "run deadline of 15m reached before `what`", for a verdict or finding. */
  reason(what: string): string
  /** Stops the timer (the run is over); the signal stays as it is. */
  dispose(): void
}

/**
 * Starts the clock: `ms` from now the signal aborts with a DeadlineReached
 * naming `label` (the duration as the user wrote it, e.g. "15m"). The timer
 * does not keep the process alive.
 */
export function startDeadline(ms: number, label: string): RunDeadline {
  const controller = new AbortController()
  // Every request in flight listens for the deadline (and drops its listener when it ends), so
  // --concurrency 16 means 16 listeners: not the leak Node warns of past 10.
  setMaxListeners(0, controller.signal)
  const message = `run deadline of ${label} reached`
  const timer = setTimeout(() => controller.abort(new DeadlineReached(message)), ms)
  timer.unref()
  return {
    signal: controller.signal,
    reason: (what) => `${message} before ${what}`,
    dispose: () => clearTimeout(timer),
  }
}

/** The message of a signal's abort reason, or a plain one when it carries none. */
export function abortMessage(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason.message : 'the run was stopped'
}
