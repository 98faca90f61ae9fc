import { describe, expect, it } from 'vitest'
import { setOwnMember } from '../../harness/own-member.ts'

describe('setOwnMember', () => {
  it('sets __proto__ as an own, enumerable member and leaves the prototype alone', () => {
    const copy: Record<string, unknown> = {}
    setOwnMember(copy, 'a', 1)
    setOwnMember(copy, '__proto__', { polluted: true })
    setOwnMember(copy, '__proto__', { second: true })
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(copy.polluted).toBeUndefined()
    expect(Object.keys(copy)).toEqual(['a', '__proto__'])
    expect(JSON.stringify(copy)).toBe('{"a":1,"__proto__":{"second":true}}')
  })
})
