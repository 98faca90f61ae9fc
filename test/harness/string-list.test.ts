import { describe, expect, it } from 'vitest'
import { stringList } from '../../harness/string-list.ts'

describe('stringList', () => {
  it('keeps the strings of a list, in order', () => {
    expect(stringList(['ES256', 1, null, 'RS256', { a: 1 }])).toEqual(['ES256', 'RS256'])
  })

  it('is undefined for a value that is no list', () => {
    expect(stringList('ES256')).toBeUndefined()
    expect(stringList(undefined)).toBeUndefined()
  })
})
