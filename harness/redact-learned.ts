/**
 * The values a run has learned as secrets, and where free text loses them (docs/redaction.md).
 * A strong value (8 characters or more, not a plain word) is replaced wherever it stands as a
 * whole token; a weak one (`secret`, `wrong`, `challenge`) never in prose: redact.ts replaces it
 * only where the text itself names a credential, so a common word never garbles a message.
 */
import { PRE_REDACTION_CAP } from './http/cap.ts'
import { urlForms } from './http/uri-component.ts'
import { createWindowIndex } from './redact-window-index.ts'
import {
  buildTokenMatcher,
  replaceMatches,
  standsAsToken,
  type TokenMatcher,
  type TokenPattern,
} from './redact-matcher.ts'

/** Values shorter than this are never learned (they are still redacted where a name marks them). */
export const MIN_LEARNED_LENGTH = 4

/** A learned value needs this many characters to be replaced in free text. */
export const MIN_STRONG_LENGTH = 8

/** Letters-only values this long are random tokens, not words (some servers issue such tokens). */
export const MIN_LETTERS_TOKEN_LENGTH = 20

/**
 * Whether a learned value may be replaced in free text: long enough, and not a plain word
 * (`challenge`, `Password`: letters only, shorter than MIN_LETTERS_TOKEN_LENGTH) nor a protocol
 * identifier (`authorization_code`), which prose uses.
 */
export function isStrongSecret(value: string): boolean {
  const word = /^[A-Za-z]+$/.test(value) && value.length < MIN_LETTERS_TOKEN_LENGTH
  return value.length >= MIN_STRONG_LENGTH && !word && !/^[a-z]+(?:_[a-z]+)+$/.test(value)
}

export interface LearnedSecrets {
  /** Remember a value in every form it takes elsewhere (URL, form, JSON and HTML encoded). */
  add(value: string): void
  /** Whether `value` (in any of those forms) was learned, weak or strong. */
  has(value: string): boolean
  /** `text` with every strong learned value that stands as a whole token replaced by `mark`. */
  replace(text: string, mark: string): string
  /**
   * Automaton steps taken by every replace so far (a test's measure of linear work); a text the
   * window index answers takes none.
   */
  steps(): number
}

/** The forms a value takes in other contexts: raw, URL/form encoded, JSON- and HTML-escaped. */
export function formsOf(value: string): string[] {
  return [
    ...urlForms(value),
    JSON.stringify(value).slice(1, -1),
    value
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;'),
  ]
}

/**
 * The longest form kept for free text: a longer value can only reach a report cut to
 * PRE_REDACTION_CAP (harness/http/cap.ts), so its head is enough.
 */
export const MAX_LEARNED_FORM = PRE_REDACTION_CAP
/** Longer forms are found as overlapping pieces of this length, so a cut copy loses them too. */
export const LEARNED_PIECE = 256
/**
 * Characters of long forms (over 4 pieces) indexed per run; an automaton, when one is built,
 * costs about 100 bytes a character. Real secrets are far shorter: only a hostile target's own
 * values (a 900 KB client_secret per client) reach it; past it they are still redacted in
 * credential positions.
 */
export const MAX_LONG_FORMS_TOTAL = 512 * 1024

/**
 * What redaction looks for: a form as one whole token, or a long one as pieces that overlap by a
 * character (found anywhere inside, they merge into one mark), each piece once (a periodic value
 * repeats its pieces). A text cut inside a long secret shows at most the last
 * LEARNED_PIECE - 1 characters before the cut.
 */
export function patternsOf(form: string): TokenPattern[] {
  const value = form.slice(0, MAX_LEARNED_FORM)
  const cut = value.length < form.length
  if (value.length <= 4 * LEARNED_PIECE) return [{ value, openEnd: cut }]
  const pieces = new Map<string, TokenPattern>()
  for (let at = 0; at < value.length - 1; at += LEARNED_PIECE - 1) {
    const from = Math.max(0, Math.min(at, value.length - LEARNED_PIECE))
    const last = from + LEARNED_PIECE >= value.length
    const piece = {
      value: value.slice(from, from + LEARNED_PIECE),
      openStart: from > 0,
      openEnd: !last || cut,
    }
    pieces.set(`${Number(piece.openStart)}${Number(piece.openEnd)}${piece.value}`, piece)
    if (last) break
  }
  return [...pieces.values()]
}

/**
 * Strong forms, found in a text by their last characters (redact-window-index.ts) and kept where
 * they stand as whole tokens. A text the window index gives up on (its budget is linear in the
 * text) is read by automata of 1, 2, 4, ... batches of patterns (a binary counter): a pattern is
 * rebuilt into O(log n) automata amortised, never the whole set each time, and the text is read
 * once per automaton. Patterns wait in a batch until such a text comes; most runs build none.
 */
export function createLearnedSecrets(): LearnedSecrets {
  const all = new Set<string>()
  const levels: ({ patterns: TokenPattern[]; matcher: TokenMatcher } | undefined)[] = []
  const windows = createWindowIndex()
  let waiting: TokenPattern[] = []
  let retiredSteps = 0
  let longTotal = 0

  /** Whether `form` fits what the run may index; a long one takes its share of the budget. */
  function fits(form: string): boolean {
    const length = Math.min(form.length, MAX_LEARNED_FORM)
    if (length <= 4 * LEARNED_PIECE) return true
    if (longTotal + length > MAX_LONG_FORMS_TOTAL) return false
    longTotal += length
    return true
  }

  function build(patterns: TokenPattern[]): void {
    let carry = patterns
    let level = 0
    for (; levels[level]; level++) {
      carry = levels[level]!.patterns.concat(carry)
      retiredSteps += levels[level]!.matcher.steps
      levels[level] = undefined
    }
    levels[level] = { patterns: carry, matcher: buildTokenMatcher(carry) }
  }

  return {
    add(value) {
      if (all.has(value)) return
      const strong = isStrongSecret(value)
      for (const form of new Set(formsOf(value))) {
        if (all.has(form)) continue
        all.add(form)
        if (!strong || !fits(form)) continue
        for (const pattern of patternsOf(form)) {
          windows.add(pattern)
          waiting.push(pattern)
        }
      }
    },
    has: (value) => all.has(value),
    replace(text, mark) {
      if (text.length < MIN_STRONG_LENGTH) return text
      const found = windows.occurrences(text)
      const matches: [number, number][] = []
      if (found) {
        for (const { start, pattern } of found) {
          if (standsAsToken(text, start, pattern)) matches.push([start, start + pattern.value.length])
        }
      } else {
        if (waiting.length > 0) build(waiting)
        waiting = []
        for (const level of levels) level?.matcher.find(text, matches)
      }
      return replaceMatches(text, matches, mark)
    },
    steps: () => levels.reduce((sum, level) => sum + (level?.matcher.steps ?? 0), retiredSteps),
  }
}
