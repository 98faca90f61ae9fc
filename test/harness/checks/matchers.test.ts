import { describe, expect, it } from 'vitest'
import { matchValue } from '../../../harness/checks/matchers.ts'

const messages = (actual: unknown, expected: unknown) =>
  matchValue(actual, expected).map((found) => found.message)

describe('literal matching', () => {
  it('matches objects as subsets and reports each differing member by pointer', () => {
    expect(matchValue({ a: 1, b: 'x', extra: true }, { a: 1, b: 'x' })).toEqual([])
    expect(messages({ a: 2, b: 'x' }, { a: 1, b: 'y', c: null })).toEqual([
      '/a: expected 1, got 2',
      '/b: expected "y", got "x"',
      '/c: expected null, but it is absent',
    ])
  })

  it('matches arrays element by element with equal length', () => {
    expect(matchValue([1, { a: 2, z: 0 }], [1, { a: 2 }])).toEqual([])
    expect(messages([1, 2, 3], [1, 2])).toEqual(['/: expected an array of 2, got 3: [1,2,3]'])
    expect(messages([1, 5], [1, 2])).toEqual(['/1: expected 2, got 5'])
    expect(messages({ a: [] }, { a: {} })).toEqual(['/a: expected an object, got array []'])
  })

  it('compares primitives strictly, 1 and 1.0 alike', () => {
    expect(matchValue(1, 1.0)).toEqual([])
    expect(messages('1', 1)).toEqual(['/: expected 1, got string "1"'])
    expect(messages(null, false)).toEqual(['/: expected false, got null null'])
  })

  it('escapes pointers per RFC 6901 and carries expected and actual', () => {
    const [found] = matchValue({ 'a/b': { '~c': 1 } }, { 'a/b': { '~c': 2 } })
    expect(found).toEqual({
      pointer: '/a~1b/~0c',
      message: '/a~1b/~0c: expected 2, got 1',
      expected: 2,
      actual: 1,
    })
  })

  it('cuts long actual values in messages', () => {
    const [found] = matchValue('x'.repeat(2000), 'y')
    expect(found?.message.length).toBeLessThan(600)
    expect(found?.message).toContain('(2002 chars)')
    expect(found?.actual).toBe('x'.repeat(2000))
  })
})

describe('$-matchers', () => {
  it('$type: integer, number, array, null and lists of types', () => {
    expect(matchValue(3, { $type: 'integer' })).toEqual([])
    expect(matchValue(3.5, { $type: 'number' })).toEqual([])
    expect(matchValue([], { $type: 'array' })).toEqual([])
    expect(matchValue(null, { $type: ['string', 'null'] })).toEqual([])
    expect(
      messages(
        { client_secret_expires_at: '0' },
        { client_secret_expires_at: { $type: 'integer' } },
      ),
    ).toEqual(['/client_secret_expires_at: expected type integer, got string "0"'])
    expect(messages(3.5, { $type: 'integer' })).toEqual([
      '/: expected type integer, got number 3.5',
    ])
    expect(messages([], { $type: 'object' })).toEqual(['/: expected type object, got array []'])
    expect(messages(null, { $type: 'object' })).toEqual(['/: expected type object, got null null'])
  })

  it('$match: strings only', () => {
    expect(matchValue('Bearer error="invalid_token"', { $match: 'error="invalid_token"' })).toEqual(
      [],
    )
    expect(matchValue('abc', { $match: '^a.c$' })).toEqual([])
    expect(messages('xyz', { $match: '^a' })).toEqual([
      '/: expected a string matching /^a/, got "xyz"',
    ])
    expect(messages(12, { $match: '1' })).toEqual([
      '/: expected a string matching /1/, got integer 12',
    ])
  })

  it('$in', () => {
    expect(matchValue(401, { $in: [400, 401] })).toEqual([])
    expect(matchValue({ a: 1 }, { $in: [{ a: 1 }] })).toEqual([])
    expect(messages(403, { $in: [400, 401] })).toEqual(['/: expected one of 400, 401, got 403'])
  })

  it('$not', () => {
    expect(matchValue(200, { $not: 201 })).toEqual([])
    expect(matchValue({ a: 1 }, { a: { $not: { $absent: true } } })).toEqual([])
    expect(messages(201, { $not: 201 })).toEqual(['/: expected not 201, got 201'])
  })

  it('$absent and $present, including inside object patterns', () => {
    expect(matchValue({ a: 1 }, { b: { $absent: true } })).toEqual([])
    expect(matchValue({ a: 1 }, { a: { $present: true } })).toEqual([])
    expect(matchValue({ a: null }, { a: { $present: true } })).toEqual([])
    expect(messages({ a: 1 }, { a: { $absent: true } })).toEqual(['/a: expected absent, got 1'])
    expect(messages({}, { a: { $present: true } })).toEqual([
      '/a: expected present, but it is absent',
    ])
  })

  it('a pattern of absences holds for a missing body, never vacuously for a non-object one', () => {
    expect(matchValue(undefined, { client_id: { $absent: true } })).toEqual([])
    expect(messages('Unauthorized', { client_id: { $absent: true } })).toEqual([
      '/: expected an object, got string "Unauthorized"',
    ])
    expect(messages(['x'], { error: { $absent: true } })).toHaveLength(1)
    expect(messages(undefined, { client_id: 'x' })).toEqual(['/: expected an object, got absent'])
  })

  it('$eq is deep and exact', () => {
    expect(matchValue({ a: [1, { b: 2 }] }, { $eq: { a: [1, { b: 2 }] } })).toEqual([])
    expect(messages({ a: 1, b: 2 }, { $eq: { a: 1 } })).toEqual([
      '/: expected exactly {"a":1}, got {"a":1,"b":2}',
    ])
  })

  it('$gte, $lte, $gt, $lt on numbers; anything else is a mismatch', () => {
    expect(matchValue(5, { $gte: 5, $lte: 5 })).toEqual([])
    expect(matchValue(5, { $gt: 4, $lt: 6 })).toEqual([])
    expect(messages(4, { $gte: 5 })).toEqual(['/: expected >= 5, got 4'])
    expect(messages(6, { $lte: 5 })).toEqual(['/: expected <= 5, got 6'])
    expect(messages(5, { $gt: 5 })).toEqual(['/: expected > 5, got 5'])
    expect(messages(5, { $lt: 5 })).toEqual(['/: expected < 5, got 5'])
    expect(messages('7', { $gt: 5 })).toEqual(['/: expected > 5, got string "7"'])
    expect(messages(undefined, { $gt: 5 })).toEqual(['/: expected > 5, got absent'])
  })

  it('$length on strings and arrays, as a number or a matcher', () => {
    expect(matchValue('abcd', { $length: 4 })).toEqual([])
    expect(matchValue([1, 2], { $length: { $gte: 1 } })).toEqual([])
    expect(messages('abc', { $length: 4 })).toEqual(['/: length expected 4, got 3'])
    expect(messages([], { $length: { $gte: 1 } })).toEqual(['/: length expected >= 1, got 0'])
    expect(messages(5, { $length: 1 })).toEqual([
      '/: expected a string or array with length 1, got integer 5',
    ])
  })

  it('$contains: an array element (value or matcher) or a substring', () => {
    expect(matchValue(['a', 'b'], { $contains: 'b' })).toEqual([])
    expect(matchValue([{ kid: 1, use: 'sig' }], { $contains: { use: 'sig' } })).toEqual([])
    expect(matchValue([1, 10], { $contains: { $gt: 5 } })).toEqual([])
    expect(matchValue('openid profile', { $contains: 'profile' })).toEqual([])
    expect(messages(['a'], { $contains: 'b' })).toEqual([
      '/: expected an array containing "b", got ["a"]',
    ])
    expect(messages('openid', { $contains: 'email' })).toEqual([
      '/: expected a string containing "email", got "openid"',
    ])
    expect(messages({}, { $contains: 'x' })).toEqual([
      '/: expected an array or string containing "x", got object {}',
    ])
  })

  it('$count: { of, is }', () => {
    const statuses = [201, 401, 401]
    expect(matchValue(statuses, { $count: { of: 201, is: 1 } })).toEqual([])
    expect(matchValue(statuses, { $count: { of: { $in: [400, 401] }, is: { $gte: 2 } } })).toEqual(
      [],
    )
    expect(messages(statuses, { $count: { of: 201, is: 2 } })).toEqual([
      '/: count of 201 expected 2, got 1',
    ])
    expect(messages('x', { $count: { of: 1, is: 1 } })).toEqual([
      '/: expected an array to count 1 in, got string "x"',
    ])
  })

  it('$each reports every failing element by pointer', () => {
    expect(matchValue(['https://a', 'https://b'], { $each: { $match: '^https://' } })).toEqual([])
    expect(matchValue([], { $each: { $type: 'string' } })).toEqual([])
    expect(
      messages([{ a: 1 }, { a: 'x' }, { a: 2 }, { a: 'y' }], {
        $each: { a: { $type: 'integer' } },
      }),
    ).toEqual([
      '/1/a: expected type integer, got string "x"',
      '/3/a: expected type integer, got string "y"',
    ])
    expect(messages('x', { $each: 1 })).toEqual(['/: expected an array, got string "x"'])
  })

  it('$anyOf and $allOf', () => {
    expect(matchValue('x', { $anyOf: [{ $type: 'integer' }, 'x'] })).toEqual([])
    expect(messages(true, { $anyOf: [{ $type: 'integer' }, 'x'] })).toEqual([
      '/: matched none of $anyOf (expected type integer, got boolean true | expected "x", got boolean true)',
    ])
    expect(matchValue(5, { $allOf: [{ $gte: 1 }, { $lte: 9 }] })).toEqual([])
    expect(messages(50, { $allOf: [{ $gte: 1 }, { $lte: 9 }] })).toEqual([
      '/: expected <= 9, got 50',
    ])
  })

  it('several $ keys in one object must all hold', () => {
    expect(matchValue('abc', { $type: 'string', $length: 3, $match: 'b' })).toEqual([])
    expect(messages('abcd', { $type: 'string', $length: 3, $match: 'z' })).toEqual([
      '/: length expected 3, got 4',
      '/: expected a string matching /z/, got "abcd"',
    ])
  })

  it('an invalid matcher is a mismatch at run time, not a throw', () => {
    expect(messages(1, { $type: 'integer', plain: 1 })).toEqual([
      '/: invalid matcher: mixes $-matchers with plain members (plain)',
    ])
    expect(messages(1, { $regex: 'x' })).toEqual(['/: invalid matcher: unknown matcher $regex'])
    expect(messages('a', { $match: '(' })[0]).toMatch(/^\/: invalid matcher: \$match "\(":/)
    expect(messages(1, { $gte: 'x' })).toEqual(['/: invalid matcher: $gte needs a number'])
  })

  it('applies the pointer given by the caller', () => {
    expect(matchValue('x', 'y', '/www-authenticate').map((found) => found.message)).toEqual([
      '/www-authenticate: expected "y", got "x"',
    ])
  })
})

describe('$tokensIn', () => {
  it('holds when every space-delimited token is one of the given ones', () => {
    expect(matchValue('openid email', { $tokensIn: 'openid profile email' })).toEqual([])
    expect(matchValue('openid admin', { $tokensIn: 'openid profile' })[0]?.message).toBe(
      '/: expected only tokens of "openid profile", got also "admin"',
    )
    expect(matchValue(3, { $tokensIn: 'openid' })).toHaveLength(1)
  })
})
