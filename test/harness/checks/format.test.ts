import { describe, expect, it } from 'vitest'
import { childPointer, pointerSegments, reasonOf } from '../../../harness/checks/format.ts'
import { showTyped, showValue, valueAtPointer } from '../../../harness/checks/format.ts'

describe('JSON Pointer helpers', () => {
  it('escape and unescape ~ and / (RFC 6901)', () => {
    expect(childPointer('', 'a/b')).toBe('/a~1b')
    expect(childPointer('/x', '~y')).toBe('/x/~0y')
    expect(childPointer('/x', 0)).toBe('/x/0')
    expect(pointerSegments('/a~1b/~0y/0')).toEqual(['a/b', '~y', '0'])
    expect(pointerSegments('')).toEqual([])
  })

  it('read the value at a pointer, own members only', () => {
    const root = { 'a/b': [{ c: 1 }] }
    expect(valueAtPointer(root, '/a~1b/0/c')).toBe(1)
    expect(valueAtPointer(root, '')).toBe(root)
    expect(valueAtPointer(root, '/missing/x')).toBeUndefined()
    expect(valueAtPointer(root, '/constructor')).toBeUndefined()
  })

  it('show values briefly and with their type', () => {
    expect(showValue(undefined)).toBe('absent')
    expect(showValue({ a: 'x' })).toBe('{"a":"x"}')
    expect(showTyped('0')).toBe('string "0"')
    expect(showTyped(1.5)).toBe('number 1.5')
    expect(showTyped(null)).toBe('null null')
    expect(showValue('y'.repeat(1000))).toMatch(/^"y{499}\.\.\. \(1002 chars\)$/)
  })

  it('strip the pointer from a message', () => {
    expect(reasonOf({ pointer: '', message: '/: expected 1, got 2' })).toBe('expected 1, got 2')
    expect(reasonOf({ pointer: '/a: b', message: '/a: b: expected 1' })).toBe('expected 1')
  })
})
