/** C0 and C1 controls and whitespace: never part of a URL worth showing or fetching (RFC 3986 §2). */
// eslint-disable-next-line no-control-regex -- control characters are exactly what it finds
const CONTROL_OR_SPACE = /[\u0000-\u001f\u007f-\u009f\s]/

/** An absolute http: or https: URL of reasonable length, without control characters or spaces. */
export function isHttpUrl(value: unknown): value is string {
  if (typeof value !== 'string' || value.length > 2048 || CONTROL_OR_SPACE.test(value)) return false
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol)
  } catch {
    return false
  }
}
