// Long synchronous stages (reading files, building paths, linting) give the
// event loop a turn now and then: revocation requests started early and
// endpoint probes run beside them, and their sockets must keep moving.

/** Items a stage handles between turns: few enough to keep sockets moving, enough that turns cost nothing. */
export const ITEMS_PER_TURN = 64

/** Resolves on the next turn of the event loop, after the I/O callbacks pending now have run. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
