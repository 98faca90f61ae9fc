/**
 * "Did you mean" for a mistyped name: the closest known name within a few edits. Shared by the
 * scenario checks (harness/scenario/) and the config files (harness/config/schema-errors.ts).
 */

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, index) => index)
  for (let i = 1; i <= a.length; i += 1) {
    let diagonal = previous[0] as number
    previous[0] = i
    for (let j = 1; j <= b.length; j += 1) {
      const above = previous[j] as number
      previous[j] = Math.min(
        above + 1,
        (previous[j - 1] as number) + 1,
        diagonal + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
      diagonal = above
    }
  }
  return previous[b.length] as number
}

/** ` (did you mean "register"?)` when a known name is close, else ''. */
export function didYouMean(name: string, known: Iterable<string>): string {
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const found = distance(name.toLowerCase(), candidate.toLowerCase())
    if (found < bestDistance) {
      best = candidate
      bestDistance = found
    }
  }
  const limit = Math.max(1, Math.min(3, Math.floor(name.length / 3)))
  return best !== undefined && bestDistance <= limit ? ` (did you mean "${best}"?)` : ''
}
