// One way to say how long, in every message: whole minutes under two hours,
// whole hours under two days, whole days beyond ("1370 days ago", never
// "1369.5 days ago" beside "568 days ago"). The precision a reader needs
// shrinks as the span grows; the exact instant is always printed beside it.

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** "45 minutes", "6 hours", "20 days" for the absolute length of `ms`. */
export function describeSpan(ms: number): string {
  const abs = Math.abs(ms)
  const [amount, unit] =
    abs < 2 * HOUR_MS
      ? [Math.round(abs / MINUTE_MS), 'minute']
      : abs < 2 * DAY_MS
        ? [Math.round(abs / HOUR_MS), 'hour']
        : [Math.round(abs / DAY_MS), 'day']
  return `${amount} ${unit}${amount === 1 ? '' : 's'}`
}
