/**
 * Where learned values occur in a text, found cheaply (redact-learned.ts): the hash of each
 * pattern's last WINDOW_LENGTH characters is set in a bitmap, and a text's windows of that length
 * are hashed as they roll. Only where a window's bit is set are the patterns that end with exactly
 * that window compared with the text. Most texts of a run hold no learned value (a value is
 * replaced where a name marks it first), so most cost one hash per character and nothing else.
 *
 * The window is a value's end, not its start: values of one kind share their start (every JWT
 * begins `eyJhbGci`, often with the whole header; URLs begin `https://`), so a text holding one
 * JWT would be compared with every JWT learned. Their ends are the random part.
 *
 * The comparisons have a budget linear in the text; a text that would take more (many patterns
 * sharing an end, a text repeating it) gets no answer, and the automata of redact-matcher.ts
 * read it instead. Either way the work stays linear in the text.
 */
import type { TokenPattern } from './redact-matcher.ts'

/** Characters hashed per window: every pattern is at least this long (MIN_STRONG_LENGTH). */
export const WINDOW_LENGTH = 8
/** 2^20 bits (128 KB): a window hits by chance with a probability of about patterns / 2^20. */
const BITMAP_BITS = 20
const BASE = 0x01000193
/** BASE^(WINDOW_LENGTH - 1) mod 2^32: the weight of the character leaving the window. */
const LEAVING_WEIGHT = Array.from({ length: WINDOW_LENGTH - 1 }).reduce<number>(
  (weight) => Math.imul(weight, BASE),
  1,
)
/** Characters of comparison allowed per character of a text, and on top of that. */
const BUDGET_PER_CHARACTER = 2
const BUDGET_BASE = 4096

/** A bitmap slot for a window's hash; the multiply spreads the hash into the top bits. */
const slotOf = (hash: number): number => Math.imul(hash, 0x9e3779b1) >>> (32 - BITMAP_BITS)

/** A pattern found in a text as characters: `text.slice(start, start + pattern.value.length)`. */
export interface Occurrence {
  start: number
  pattern: TokenPattern
}

export interface WindowIndex {
  /** Remember a pattern (one shorter than WINDOW_LENGTH leaves every text without an answer). */
  add(pattern: TokenPattern): void
  /**
   * Every occurrence of every pattern added so far, as characters (the whole-token rule is the
   * caller's); undefined when finding them would exceed the budget.
   */
  occurrences(text: string): Occurrence[] | undefined
  /** Work done by every `occurrences` so far: windows hashed and characters compared. */
  work(): number
}

export function createWindowIndex(): WindowIndex {
  const bitmap = new Uint32Array((1 << BITMAP_BITS) / 32)
  const byEnd = new Map<string, TokenPattern[]>()
  let unanswerable = false
  let work = 0
  const isSet = (slot: number) => (bitmap[slot >>> 5]! & (1 << (slot & 31))) !== 0
  return {
    add(pattern) {
      const { value } = pattern
      if (value.length < WINDOW_LENGTH) {
        unanswerable = true
        return
      }
      const end = value.slice(-WINDOW_LENGTH)
      const same = byEnd.get(end)
      if (same) same.push(pattern)
      else byEnd.set(end, [pattern])
      const slot = slotOf(windowHash(end))
      bitmap[slot >>> 5]! |= 1 << (slot & 31)
    },
    occurrences(text) {
      if (unanswerable) return undefined
      const found: Occurrence[] = []
      if (byEnd.size === 0 || text.length < WINDOW_LENGTH) return found
      const budget = BUDGET_BASE + BUDGET_PER_CHARACTER * text.length
      let spent = 0
      let hash = windowHash(text)
      for (let at = 0; ; at++) {
        work += 1
        const end = at + WINDOW_LENGTH
        if (isSet(slotOf(hash))) {
          for (const pattern of byEnd.get(text.slice(at, end)) ?? []) {
            const start = end - pattern.value.length
            if (start < 0) continue
            spent += pattern.value.length
            if (spent > budget) return undefined
            work += pattern.value.length
            if (text.startsWith(pattern.value, start)) found.push({ start, pattern })
          }
        }
        if (end >= text.length) return found
        const leaving = Math.imul(text.charCodeAt(at), LEAVING_WEIGHT)
        hash = (Math.imul(hash - leaving, BASE) + text.charCodeAt(end)) | 0
      }
    },
    work: () => work,
  }
}

/** The polynomial hash of `text`'s first WINDOW_LENGTH characters, mod 2^32. */
function windowHash(text: string): number {
  let hash = 0
  for (let i = 0; i < WINDOW_LENGTH; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0
  return hash
}
