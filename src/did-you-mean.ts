// "Did you mean …?" for names the user typed (options, commands, rule ids,
// config keys): the closest known name within a few edits, so a typo gets
// its fix and a name from another tool gets no misleading guess.

/** The known name closest to `word`, if one is within about a third of its length in edits. */
function closest(word: string, known: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)))
  let best: { name: string; distance: number } | undefined
  for (const name of known) {
    const distance = editDistance(word.toLowerCase(), name.toLowerCase())
    if (distance <= limit && (!best || distance < best.distance)) best = { name, distance }
  }
  return best?.name
}

/** "; did you mean X?" for the closest known name, or nothing. */
export function didYouMean(word: string, known: Iterable<string>): string {
  const name = closest(word, known)
  return name === undefined ? '' : `; did you mean ${name}?`
}

/** Levenshtein distance: insertions, deletions and substitutions. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
    previous = current
  }
  return previous[b.length]
}
