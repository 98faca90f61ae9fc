import { describe, expect, it } from 'vitest'
import { capStrings, capText } from '../../../harness/http/cap.ts'
import { valueTooDeep } from '../../../harness/http/json.ts'

describe('capText', () => {
  it('keeps short text and cuts long text with a marker saying how much', () => {
    expect(capText('abc', 3)).toBe('abc')
    expect(capText('c'.repeat(900_010), 10)).toBe(`${'c'.repeat(10)}…[truncated 900000 chars]`)
  })
})

describe('capStrings', () => {
  it('returns the value itself when nothing is over the cap', () => {
    const value = { a: ['x', { b: 'y' }], n: 1 }
    expect(capStrings(value, 5)).toBe(value)
  })

  it('cuts every long string and member name in a copy, leaving the original alone', () => {
    const long = 'z'.repeat(100)
    const value = { a: [long, { b: long }], [long]: 1, keep: 'ok' }
    const capped = capStrings(value, 8) as Record<string, unknown>
    const marker = `${'z'.repeat(8)}…[truncated 92 chars]`
    expect(capped).toEqual({ a: [marker, { b: marker }], [marker]: 1, keep: 'ok' })
    expect(value.a[0]).toBe(long)
  })

  it('keeps a __proto__ member of parsed data in the copy', () => {
    const value = JSON.parse(`{"__proto__": {"a": "${'z'.repeat(100)}"}, "b": 1}`) as object
    const capped = capStrings(value, 10) as object
    expect(Object.getPrototypeOf(capped)).toBe(Object.prototype)
    expect(JSON.stringify(capped)).toBe('{"__proto__":{"a":"zzzzzzzzzz…[truncated 90 chars]"},"b":1}')
  })

  it('walks 100,000 levels without recursion and replaces what is too deep', () => {
    let deep: unknown = 'x'.repeat(50)
    for (let i = 0; i < 100_000; i++) deep = [deep]
    const capped = capStrings(deep, 10, 3) as unknown[][][]
    expect(capped[0]![0]![0]).toBe('…[nested deeper than 3 levels]')
  })
})

describe('valueTooDeep', () => {
  it('measures nesting iteratively', () => {
    let deep: unknown = 1
    for (let i = 0; i < 100_000; i++) deep = { a: deep }
    expect(valueTooDeep(deep, 80)).toBe(true)
    expect(valueTooDeep({ a: { b: [1, { c: 2 }] } }, 4)).toBe(false)
    expect(valueTooDeep({ a: { b: [1, { c: {} }] } }, 4)).toBe(true)
  })
})
