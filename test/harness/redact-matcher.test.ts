import { describe, expect, it } from 'vitest'
import {
  createLearnedSecrets,
  MAX_LEARNED_FORM,
  MAX_LONG_FORMS_TOTAL,
} from '../../harness/redact-learned.ts'
import { buildTokenMatcher, replaceMatches } from '../../harness/redact-matcher.ts'

const replaceAll = (values: string[], text: string) => {
  const matches: [number, number][] = []
  buildTokenMatcher(values.map((value) => ({ value }))).find(text, matches)
  return replaceMatches(text, matches, '#')
}

describe('token matcher', () => {
  it('matches whole tokens only, by the value’s own edges', () => {
    expect(replaceAll(['tok3n-value'], 'a /tok3n-value?x')).toBe('a /#?x')
    expect(replaceAll(['tok3n-value'], 'xtok3n-value code_tok3n-value tok3n-values')).toBe(
      'xtok3n-value code_tok3n-value tok3n-values',
    )
    // A value that begins or ends with a non-word character may touch a word there.
    expect(replaceAll(['-secret-9x'], 'abc-secret-9x.')).toBe('abc#.')
    expect(replaceAll(['Tr0ub4dor&3'], '"Tr0ub4dor&3" and Tr0ub4dor&3s')).toBe(
      '"#" and Tr0ub4dor&3s',
    )
  })

  it('finds every value, overlapping ones as one mark', () => {
    expect(replaceAll(['abc12345', 'zzz99999'], 'abc12345 zzz99999 abc12345')).toBe('# # #')
    expect(replaceAll(['ab-12345', '12345-cd'], 'ab-12345-cd')).toBe('#')
    expect(replaceAll(['ab-12345', '12345-cd'], '')).toBe('')
  })

  it('lets a piece of a longer value touch anything at its open edges', () => {
    const matches: [number, number][] = []
    buildTokenMatcher([{ value: 'abcd1234', openStart: true, openEnd: true }]).find(
      'xxabcd12345678 abcd1234',
      matches,
    )
    expect(matches).toEqual([
      [2, 10],
      [15, 23],
    ])
  })

  // Each text symbol costs one transition plus failure links, which never exceed the
  // transitions: at most 3 symbols per character, so 6 steps. A scan per candidate value or per
  // position (what redaction did before) grows with values × text and breaks this bound.
  const shared = Array.from({ length: 300 }, (_, i) => `secr-${i}-x9`)
  const nested = Array.from({ length: 300 }, (_, i) => 'a1'.repeat(i + 4))
  it.each([
    ['values sharing a prefix', shared, 'secr'.repeat(100_000)],
    ['values nested in each other', nested, 'a1'.repeat(200_000)],
    ['a long value, a text of its near misses', [`${'x'.repeat(50_000)}9`], 'x'.repeat(400_000)],
  ])('does linear work: %s', (_name, values, text) => {
    const matcher = buildTokenMatcher(values.map((value) => ({ value })))
    matcher.find(text, [])
    expect(matcher.steps).toBeGreaterThan(0)
    expect(matcher.steps).toBeLessThanOrEqual(6 * text.length)
  })
})

describe('learned secrets', () => {
  it('rebuilds O(log n) automata per value and reads a text once per automaton', () => {
    // Values sharing the end the texts repeat: the window index gives up on such a text
    // (redact-window-index.ts), so each read below goes to the automata, one batch each.
    const learned = createLearnedSecrets()
    const values = Array.from({ length: 256 }, (_, i) => `x9-${i}-secrsecr`)
    const hostile = 'secr'.repeat(2_000)
    for (const value of values) {
      learned.add(value)
      learned.replace(hostile, '#')
    }
    const text = `${'secr'.repeat(50_000)} ${values[200]} end`
    const before = learned.steps()
    expect(learned.replace(text, '#')).toBe(`${'secr'.repeat(50_000)} # end`)
    // 256 batches of one value: at most 9 automata (a binary counter of 256).
    expect(learned.steps() - before).toBeGreaterThan(0)
    expect(learned.steps() - before).toBeLessThanOrEqual(9 * 6 * text.length)
  })

  it('removes a huge value, whole or cut anywhere, leaving less than a piece at the cut', () => {
    const learned = createLearnedSecrets()
    const secret = `s3cr3t-${'y7z'.repeat(300_000)}`
    learned.add(secret)
    expect(learned.replace(`id=${secret} x`, '#')).toBe('id=# x')
    for (const cut of [1_000, 50_000, 79_999]) {
      const text = learned.replace(`id=${secret.slice(0, cut)}…[truncated]`, '#')
      expect(text).toMatch(/^id=#[yz7]{0,255}…\[truncated\]$/)
    }
  })

  it('keeps the whole-token rule for values of a few hundred characters', () => {
    const learned = createLearnedSecrets()
    const secret = `k${'9'.repeat(600)}`
    learned.add(secret)
    expect(learned.replace(`a ${secret} b x${secret}`, '#')).toBe(`a # b x${secret}`)
  })
})

describe('learned secrets within a budget', () => {
  it('indexes long values up to MAX_LONG_FORMS_TOTAL, short ones always', () => {
    const learned = createLearnedSecrets()
    // Each value its own characters, so no piece of one is a piece of another.
    const long = (i: number) => `L${i}-${`${String.fromCharCode(97 + i)}7`.repeat(50_000)}`
    const count = Math.ceil(MAX_LONG_FORMS_TOTAL / MAX_LEARNED_FORM) + 2
    for (let i = 0; i < count; i++) learned.add(long(i))
    learned.add('short-s3cret')
    expect(learned.has(long(count - 1))).toBe(true)
    expect(learned.replace(`${long(0).slice(0, 5_000)} short-s3cret`, '#')).toBe('# #')
    const last = `${long(count - 1).slice(0, 5_000)}`
    expect(learned.replace(last, '#') === last).toBe(true)
  })
})
