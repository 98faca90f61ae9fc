import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createWindowIndex, WINDOW_LENGTH } from '../../harness/redact-window-index.ts'
import {
  buildTokenMatcher,
  replaceMatches,
  standsAsToken,
  type TokenPattern,
} from '../../harness/redact-matcher.ts'
import { createLearnedSecrets } from '../../harness/redact-learned.ts'

const indexOf = (patterns: (string | TokenPattern)[]) => {
  const index = createWindowIndex()
  for (const pattern of patterns) index.add(typeof pattern === 'string' ? { value: pattern } : pattern)
  return index
}

const starts = (patterns: string[], text: string) =>
  indexOf(patterns)
    .occurrences(text)
    ?.map(({ start, pattern }) => [start, pattern.value])

/** A deterministic generator (a linear congruential one, its high bits), so a failure can be replayed. */
function seeded(seed: number): (below: number) => number {
  let state = seed >>> 0
  return (below) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return (state >>> 8) % below
  }
}

/** Every occurrence of every pattern, the slow way. */
function naive(patterns: string[], text: string): [number, string][] {
  const found: [number, string][] = []
  for (let at = 0; at < text.length; at++) {
    for (const pattern of patterns) if (text.startsWith(pattern, at)) found.push([at, pattern])
  }
  return found
}

describe('window index', () => {
  it('finds a pattern at the start, inside, at the end, as the whole text and overlapping', () => {
    expect(starts(['tok3n-value-9x'], 'tok3n-value-9x')).toEqual([[0, 'tok3n-value-9x']])
    expect(starts(['tok3n-value-9x'], 'a tok3n-value-9x b tok3n-value-9x')).toEqual([
      [2, 'tok3n-value-9x'],
      [19, 'tok3n-value-9x'],
    ])
    expect(starts(['abababab', 'babababa'], 'ababababa')).toEqual([
      [0, 'abababab'],
      [1, 'babababa'],
    ])
  })

  it('finds nothing where only a prefix, a suffix, a near miss or nothing of a pattern is', () => {
    const patterns = ['tok3n-value-9x', 'https://as.example/reg/abcdef']
    expect(starts(patterns, 'tok3n-value-9')).toEqual([])
    expect(starts(patterns, 'ok3n-value-9x')).toEqual([])
    expect(starts(patterns, 'tok3n-value-8x tok3n-valu')).toEqual([])
    expect(starts(patterns, 'tok4n-value-9x')).toEqual([])
    expect(starts(patterns, 'https://as.example/reg/abcdeX https://as.example/')).toEqual([])
    expect(starts(patterns, 'short')).toEqual([])
    expect(starts([], 'tok3n-value-9x')).toEqual([])
  })

  it('agrees with a scan of every position on random texts over a small alphabet', () => {
    const next = seeded(7)
    // High code units too: the rolling hash works on UTF-16 code units, mod 2^32.
    const word = (length: number) =>
      Array.from({ length }, () => ['a', 'b', '1', '-', '\uffff', '\u00e9'][next(6)]).join('')
    for (let round = 0; round < 300; round++) {
      const patterns = Array.from({ length: 1 + next(5) }, () => word(WINDOW_LENGTH + next(6)))
      const text = word(next(120))
      const found = starts(patterns, text)?.sort((a, b) => Number(a[0]) - Number(b[0]))
      const expected = naive(patterns, text).sort((a, b) => a[0] - b[0])
      expect(found?.length, `${patterns.join(',')} in ${text}`).toBe(expected.length)
      expect(new Set(found?.map(String))).toEqual(new Set(expected.map(String)))
    }
  })

  it('gives no answer once a pattern is shorter than the window', () => {
    expect(indexOf(['tok3n-value-9x', 'abc']).occurrences('nothing of either here')).toBeUndefined()
  })

  it('gives no answer when comparing would cost more than its budget, linear in the text', () => {
    // 300 patterns share the end the text repeats: comparing each at each position would be
    // quadratic, so the index gives up and leaves the text to the automata.
    const index = indexOf(Array.from({ length: 300 }, (_, i) => `x9-${i}-secrsecr`))
    const text = 'secr'.repeat(100_000)
    expect(index.occurrences(text)).toBeUndefined()
    expect(index.work()).toBeGreaterThan(0)
    expect(index.work()).toBeLessThanOrEqual(4096 + 3 * text.length)
  })

  it('compares a text holding one of many values sharing a long start with that one only', () => {
    // JWTs of one issuer share their header: keyed by their starts, a text holding one JWT would
    // be compared with every JWT learned (redact-window-index.ts).
    const header = 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9'
    const tokens = Array.from({ length: 300 }, (_, i) =>
      `${header}.eyJpIjo${i}fQ.${createHash('sha256').update(String(i)).digest('base64url')}`,
    )
    const index = indexOf(tokens)
    const text = `{"software_statement":"${tokens[123]}"}`
    expect(index.occurrences(text)?.map(({ start, pattern }) => [start, pattern.value])).toEqual([
      [text.indexOf(header), tokens[123]],
    ])
    expect(index.work()).toBeLessThanOrEqual(text.length + tokens[123]!.length)
  })

  it('reads a text with no pattern in it once, whatever the number of patterns', () => {
    const index = indexOf(Array.from({ length: 3_000 }, (_, i) => `token-${i}-${'q'.repeat(i % 50)}`))
    const text = 'nothing learned here, '.repeat(10_000)
    expect(index.occurrences(text)).toEqual([])
    expect(index.work()).toBeLessThanOrEqual(2 * text.length)
  })
})

describe('whole tokens from the index, as the automaton finds them', () => {
  // The automaton (redact-matcher.ts) is the reference: the same patterns over random texts
  // must give the same redacted text through the index and standsAsToken.
  it('replaces the same spans on random texts and patterns, open edges included', () => {
    const next = seeded(11)
    const text = (length: number) => Array.from({ length }, () => 'aB1_-. '[next(7)]).join('')
    for (let round = 0; round < 500; round++) {
      const patterns: TokenPattern[] = Array.from({ length: 1 + next(4) }, () => ({
        value: text(WINDOW_LENGTH + next(4)).replace(/^ | $/g, 'x'),
        ...(next(4) === 0 ? { openStart: true } : {}),
        ...(next(4) === 0 ? { openEnd: true } : {}),
      }))
      // Texts made of the patterns themselves and noise, so that most hold some of them.
      const pieces = Array.from({ length: 1 + next(6) }, () =>
        next(2) === 0 ? patterns[next(patterns.length)]!.value : text(next(5)),
      )
      const sample = pieces.join('')
      const viaAutomaton: [number, number][] = []
      buildTokenMatcher(patterns).find(sample, viaAutomaton)
      const viaIndex: [number, number][] = []
      for (const { start, pattern } of indexOf(patterns).occurrences(sample) ?? []) {
        if (standsAsToken(sample, start, pattern)) viaIndex.push([start, start + pattern.value.length])
      }
      const describe = `${JSON.stringify(patterns)} in ${JSON.stringify(sample)}`
      expect(replaceMatches(sample, viaIndex, '#'), describe).toBe(
        replaceMatches(sample, viaAutomaton, '#'),
      )
    }
  })
})

describe('learned secrets behind the index', () => {
  it('builds no automaton for texts holding JWTs that share their header', () => {
    const learned = createLearnedSecrets()
    const header = 'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9'
    const jwt = (i: number) =>
      `${header}.eyJzdWIiOi${i}J9.${createHash('sha256').update(String(i)).digest('base64url')}`
    for (let i = 0; i < 200; i++) learned.add(jwt(i))
    for (let i = 0; i < 200; i++) {
      expect(learned.replace(`{"id_token":"${jwt(i)}"}`, '#')).toBe('{"id_token":"#"}')
    }
    expect(learned.steps()).toBe(0)
  })

  it('builds no automaton for the texts of a run, with or without a learned value in them', () => {
    const learned = createLearnedSecrets()
    for (let i = 0; i < 100; i++) learned.add(`secr-${i}-x9-token`)
    for (let i = 0; i < 100; i++) {
      expect(learned.replace(`a text with secr-${i}-x8-token in it`, '#')).toContain('x8')
    }
    expect(learned.replace('see secr-42-x9-token.', '#')).toBe('see #.')
    expect(learned.replace('xsecr-42-x9-token and secr-42-x9-tokens', '#')).toBe(
      'xsecr-42-x9-token and secr-42-x9-tokens',
    )
    expect(learned.steps()).toBe(0)
  })

  it('finds a long value, whole or cut, through the index alone', () => {
    const learned = createLearnedSecrets()
    // Not periodic: every piece of it differs, as a real long token's do.
    const secret = Array.from({ length: 50 }, (_, i) =>
      createHash('sha256').update(String(i)).digest('hex'),
    ).join('')
    learned.add(`x-${secret}`)
    expect(learned.replace(`id=x-${secret} tail`, '#')).toBe('id=# tail')
    expect(learned.replace(`id=x-${secret.slice(0, 2_000)}…[truncated]`, '#')).toMatch(
      /^id=#[0-9a-f]{0,255}…\[truncated\]$/,
    )
    expect(learned.steps()).toBe(0)
  })

  it('reads a text the index gives up on with the automata, and still finds the value', () => {
    const learned = createLearnedSecrets()
    for (let i = 0; i < 300; i++) learned.add(`x9-${i}-secrsecr`)
    const text = `${'secr'.repeat(100_000)} x9-123-secrsecr end`
    expect(learned.replace(text, '#')).toBe(`${'secr'.repeat(100_000)} # end`)
    expect(learned.steps()).toBeGreaterThan(0)
  })
})
