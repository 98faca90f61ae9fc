import { describe, expect, it } from 'vitest'
import { isJsonContentType, jsonTooDeep, parseJsonOrUndefined } from '../../../harness/http/json.ts'

describe('jsonTooDeep', () => {
  const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels)

  it('counts nesting, not brackets: many siblings are shallow', () => {
    expect(jsonTooDeep(nested(4), 4)).toBe(false)
    expect(jsonTooDeep(nested(5), 4)).toBe(true)
    // More brackets than the limit, none deeper than 2: the character loop decides.
    expect(jsonTooDeep(`[${Array(50).fill('{}').join(',')}]`, 4)).toBe(false)
    expect(jsonTooDeep(`{"a":[{"b":[]}],"c":[${'[],'.repeat(10)}[]]}`, 4)).toBe(false)
    expect(jsonTooDeep(`{"a":[{"b":[{}]}],"c":[${'[],'.repeat(10)}[]]}`, 4)).toBe(true)
  })

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(jsonTooDeep(`["${'['.repeat(10)}"]`, 4)).toBe(false)
    expect(jsonTooDeep(`["\\"${'{'.repeat(10)}"]`, 4)).toBe(false)
    expect(jsonTooDeep(`["\\\\", ${nested(5)}]`, 4)).toBe(true)
  })

  it('uses MAX_JSON_DEPTH (64) by default', () => {
    expect(jsonTooDeep(nested(64))).toBe(false)
    expect(jsonTooDeep(nested(65))).toBe(true)
    expect(parseJsonOrUndefined(nested(65))).toEqual({ ok: false })
    expect(parseJsonOrUndefined('{"a":[1]}')).toEqual({ ok: true, value: { a: [1] } })
  })
})

describe('isJsonContentType', () => {
  it.each([
    ['application/json; charset=utf-8', true],
    ['application/problem+json', true],
    ['text/json', false],
    [undefined, false],
  ])('%s -> %s', (type, json) => {
    expect(isJsonContentType(type)).toBe(json)
  })
})
