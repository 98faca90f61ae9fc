import { describe, expect, it } from 'vitest'
import { cacheLifetime } from '../../../reference-server/cimd/cache-lifetime.ts'

const bound = 300

describe('the cache lifetime of a document (RFC 9111, draft §5.2)', () => {
  it('is the upper bound without cache headers', () => {
    expect(cacheLifetime({}, bound)).toBe(300)
  })

  it('follows max-age below the bound and never exceeds the bound', () => {
    expect(cacheLifetime({ 'cache-control': 'public, max-age=60' }, bound)).toBe(60)
    expect(cacheLifetime({ 'cache-control': 'max-age=86400' }, bound)).toBe(300)
    expect(cacheLifetime({ 'cache-control': 'max-age="90"' }, bound)).toBe(90)
  })

  it('subtracts Age', () => {
    expect(cacheLifetime({ 'cache-control': 'max-age=60', age: '50' }, bound)).toBe(10)
    expect(cacheLifetime({ 'cache-control': 'max-age=60', age: '90' }, bound)).toBe(0)
  })

  it('is 0 for no-store, no-cache, max-age=0 and a malformed max-age', () => {
    const values = ['no-store', 'No-Cache', 'max-age=0', 'max-age=abc', 'private, no-store, max-age=60']
    for (const cc of values)
      expect(cacheLifetime({ 'cache-control': cc }, bound), cc).toBe(0)
  })

  it('uses Expires minus Date when there is no max-age', () => {
    const date = 'Sat, 05 Dec 2026 12:00:00 GMT'
    expect(cacheLifetime({ date, expires: 'Sat, 05 Dec 2026 12:01:00 GMT' }, bound)).toBe(60)
    expect(cacheLifetime({ date, expires: 'Sat, 05 Dec 2026 11:00:00 GMT' }, bound)).toBe(0)
    expect(cacheLifetime({ date, expires: '0' }, bound)).toBe(0)
    // max-age wins over Expires (RFC 9111 §5.3).
    const both = { date, expires: 'Sat, 05 Dec 2026 12:01:00 GMT', 'cache-control': 'max-age=5' }
    expect(cacheLifetime(both, bound)).toBe(5)
  })
})
