/**
 * Where learned values occur in a text, found cheaply (redact-learned.ts): the hash of each
 * pattern's first PREFIX_LENGTH characters is set in a bitmap, and a text's windows of that
 * length are hashed as they roll. Only where a window's bit is set are the patterns with exactly
 * that prefix compared with the text. Most texts of a run hold no learned value (a value is
 * replaced where a name marks it first), so most cost one hash per character and nothing else.
 *
 * The comparisons have a budget linear in the text; a text that would take more (many patterns
 * sharing a prefix, a text repeating it) gets no answer, and the automata of redact-matcher.ts
 * read it instead. Either way the work stays linear in the text.
 */
import type { TokenPattern } from './redact-matcher.ts'

/** Characters hashed per window: every pattern is at least this long (MIN_STRONG_LENGTH). */
export const PREFIX_LENGTH = 8
/** 2^20 bits (128 KB): a window hits by chance with a probability of about patterns / 2^20. */
const BITMAP_BITS = 20
const BASE = 0x01000193
/** BASE^(PREFIX_LENGTH - 1) mod 2^32: the weight of the character leaving the window. */
const LEAVING_WEIGHT = Array.from({ length: PREFIX_LENGTH - 1 }).reduce<number>(
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

export interface PrefixIndex {
  /** Remember a pattern (one shorter than PREFIX_LENGTH leaves every text without an answer). */
  add(pattern: TokenPattern): void
  /**
   * Every occurrence of every pattern added so far, as characters (the whole-token rule is the
   * caller's); undefined when finding them would exceed the budget.
   */
  occurrences(text: string): Occurrence[] | undefined
  /** Work done by every `occurrences` so far: windows hashed and characters compared. */
  work(): number
}

export function createPrefixIndex(): PrefixIndex {
  const bitmap = new Uint32Array((1 << BITMAP_BITS) / 32)
  const byPrefix = new Map<string, TokenPattern[]>()
  let unanswerable = false
  let work = 0
  const isSet = (slot: number) => (bitmap[slot >>> 5]! & (1 << (slot & 31))) !== 0
  return {
    add(pattern) {
      const { value } = pattern
      if (value.length < PREFIX_LENGTH) {
        unanswerable = true
        return
      }
      const prefix = value.slice(0, PREFIX_LENGTH)
      const same = byPrefix.get(prefix)
      if (same) same.push(pattern)
      else byPrefix.set(prefix, [pattern])
      const slot = slotOf(windowHash(value))
      bitmap[slot >>> 5]! |= 1 << (slot & 31)
    },
    occurrences(text) {
      if (unanswerable) return undefined
      const found: Occurrence[] = []
      if (byPrefix.size === 0 || text.length < PREFIX_LENGTH) return found
      const budget = BUDGET_BASE + BUDGET_PER_CHARACTER * text.length
      let spent = 0
      let hash = windowHash(text)
      for (let at = 0; ; at++) {
        work += 1
        if (isSet(slotOf(hash))) {
          for (const pattern of byPrefix.get(text.slice(at, at + PREFIX_LENGTH)) ?? []) {
            const cost = PREFIX_LENGTH + Math.min(pattern.value.length, text.length - at)
            if (spent + cost > budget) return undefined
            spent += cost
            work += cost
            if (text.startsWith(pattern.value, at)) found.push({ start: at, pattern })
          }
        }
        const end = at + PREFIX_LENGTH
        if (end >= text.length) return found
        const leaving = Math.imul(text.charCodeAt(at), LEAVING_WEIGHT)
        hash = (Math.imul(hash - leaving, BASE) + text.charCodeAt(end)) | 0
      }
    },
    work: () => work,
  }
}

/** The polynomial hash of `text`'s first PREFIX_LENGTH characters, mod 2^32. */
function windowHash(text: string): number {
  let hash = 0
  for (let i = 0; i < PREFIX_LENGTH; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0
  return hash
}
