import { describe, expect, it } from 'vitest'
import { CookieJar, splitSetCookie } from '../../../harness/browser/cookie-jar.ts'

describe('cookie jar', () => {
  it('splits joined Set-Cookie values without breaking Expires dates', () => {
    const joined = 'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/, b=2; HttpOnly'
    expect(splitSetCookie(joined)).toEqual([
      'a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/',
      'b=2; HttpOnly',
    ])
  })

  it('sends cookies by host and path, and forgets expired ones', () => {
    const jar = new CookieJar()
    const now = 1_000_000
    jar.store(
      'http://127.0.0.1:9/auth/x',
      'sid=s; Path=/, i=1; path=/interaction/abc, d=x; Path=/',
      now,
    )
    expect(jar.header('http://127.0.0.1:9/interaction/abc/login', now)).toBe('i=1; sid=s; d=x')
    expect(jar.header('http://127.0.0.1:9/interaction/abcd', now)).toBe('sid=s; d=x')
    expect(jar.header('http://localhost:9/', now)).toBeUndefined()
    jar.store('http://127.0.0.1:9/', 'd=; Max-Age=0; Path=/', now)
    jar.store('http://127.0.0.1:9/', 'sid=t; Path=/; Max-Age=10', now)
    expect(jar.header('http://127.0.0.1:9/', now)).toBe('sid=t')
    expect(jar.header('http://127.0.0.1:9/', now + 11_000)).toBeUndefined()
  })

  it('honours Domain for subdomains and rejects foreign domains', () => {
    const jar = new CookieJar()
    jar.store('https://login.example.test/', 'a=1; Domain=example.test, b=2; Domain=other.test')
    expect(jar.header('https://api.example.test/')).toBe('a=1')
  })
})
