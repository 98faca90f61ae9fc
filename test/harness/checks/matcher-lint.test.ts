import { describe, expect, it } from 'vitest'
import { validateMatchers } from '../../../harness/checks/matcher-lint.ts'

describe('validateMatchers', () => {
  it('accepts well-formed matchers and template strings anywhere', () => {
    expect(
      validateMatchers({
        a: { $type: ['string', 'null'] },
        b: { $count: { of: { $gt: 1 }, is: { $lte: 2 } } },
        c: { $gte: '${{ steps.x.body.n }}' },
        d: [{ $each: { $match: '^x' } }],
        e: { $match: '^${{ run.callback_url }}(?:[?#]|$)' },
      }),
    ).toEqual([])
  })

  it('checks a $match pattern around its template values, which are literal text', () => {
    expect(validateMatchers({ url: { $match: '^(${{ run.callback_url }}' } })).toEqual([
      {
        pointer: '/url/$match',
        message: expect.stringMatching(/^\$match: Invalid regular expression/) as unknown as string,
      },
    ])
  })

  it('reports each problem with its pointer', () => {
    expect(
      validateMatchers({
        a: { $type: 'int' },
        b: { $type: 'string', extra: 1 },
        c: { $nope: 1 },
        d: { $match: '[' },
        e: { $absent: false },
        f: { $count: { of: 1 } },
        g: { $anyOf: [] },
        h: { $not: { $gt: 'x' } },
        i: { $length: -1 },
      }),
    ).toEqual([
      {
        pointer: '/a/$type',
        message: '$type "int" is not one of string, number, integer, boolean, object, array, null',
      },
      {
        pointer: '/b',
        message:
          'matcher object mixes $-matchers with plain members (extra); use $allOf or nest the members',
      },
      {
        pointer: '/c/$nope',
        message: expect.stringMatching(/^unknown matcher \$nope \(known: \$type, /),
      },
      {
        pointer: '/d/$match',
        message: expect.stringMatching(/^\$match: Invalid regular expression/),
      },
      { pointer: '/e/$absent', message: '$absent takes only true' },
      { pointer: '/f/$count', message: '$count needs { of: MATCHER, is: NUMBER or MATCHER }' },
      { pointer: '/g/$anyOf', message: '$anyOf needs a non-empty list' },
      { pointer: '/h/$not/$gt', message: '$gt needs a number' },
      { pointer: '/i/$length', message: '$length needs a non-negative integer or a matcher' },
    ])
  })
})
