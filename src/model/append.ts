// `target.push(...items)` passes every item as an argument, on the stack: a
// file of 130,000 broken PEM blocks (130,000 findings) overflowed it
// ("Maximum call stack size exceeded"), and so would Math.max(...list).
// Lists that grow with the input go through these instead.

/** Appends every item of `items` to `target`, one at a time. */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item)
}
