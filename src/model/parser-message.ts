// What to tell an operator when a parser library throws. The libraries' own
// errors (schema mismatch, bad length, unknown algorithm) say what is wrong
// with the input. A JavaScript runtime error thrown from deep inside them
// ("e.toBER is not a function", "undefined is not iterable") names minified
// internals instead, and reads as a crash of certgate: it becomes a plain
// statement that the structure is malformed.

/** Errors the JavaScript runtime raises, not a parser's own verdict on the input. */
const RUNTIME_ERRORS = new Set(['TypeError', 'RangeError', 'ReferenceError', 'SyntaxError'])

export const MALFORMED_STRUCTURE =
  'its ASN.1 structure is malformed (a field is missing, misplaced or of the wrong type)'

/** The first line of a parser's error, or MALFORMED_STRUCTURE for a runtime error from inside it. */
export function parserMessage(error: unknown): string {
  // By name, not instanceof: errors from another realm (a VM context, a worker) fail instanceof.
  const { name, message } = (error ?? {}) as { name?: unknown; message?: unknown }
  if (typeof name === 'string' && RUNTIME_ERRORS.has(name)) return MALFORMED_STRUCTURE
  const text = typeof message === 'string' ? message : String(error)
  return text.split('\n')[0].trim().slice(0, 200)
}
