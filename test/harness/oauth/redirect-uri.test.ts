import { describe, expect, it } from 'vitest'
import { isRedirectTo, redirectStatusOf } from '../../../harness/oauth/redirect-uri.ts'
import { responseParameters } from '../../../harness/oauth/redirect-uri.ts'
import type { Exchange } from '../../../harness/model/result.ts'

describe('redirect URI matching', () => {
  it('compares scheme, host, port and path, not the query', () => {
    expect(isRedirectTo('https://c.test/cb?code=1', 'https://c.test/cb')).toBe(true)
    expect(isRedirectTo('https://c.test/cb?code=1', 'https://c.test/cb?x=1')).toBe(true)
    expect(isRedirectTo('https://c.test/cb2', 'https://c.test/cb')).toBe(false)
    expect(isRedirectTo('https://c.test:8443/cb', 'https://c.test/cb')).toBe(false)
    expect(isRedirectTo('com.example.app:/cb?code=1', 'com.example.app:/cb')).toBe(true)
    expect(isRedirectTo('not a url', 'https://c.test/cb')).toBe(false)
  })

  it('reads response parameters from the query and the fragment', () => {
    expect(responseParameters('https://c.test/cb?code=q&state=s#code=f&iss=i')).toEqual({
      code: 'f',
      state: 's',
      iss: 'i',
    })
  })

  it('keeps a parameter named __proto__ as a parameter', () => {
    const parameters = responseParameters('https://rp.test/cb?__proto__=x&code=c#__proto__=y')
    expect(Object.getPrototypeOf(parameters)).toBe(Object.prototype)
    expect(JSON.stringify(parameters)).toBe('{"__proto__":"y","code":"c"}')
  })

  it('finds the status of the response whose Location named the redirect URI', () => {
    const hop = (url: string, status: number, location?: string): Exchange => ({
      request: { method: 'POST', url, headers: {} },
      response: { status, headers: location === undefined ? {} : { Location: location } },
      durationMs: 0,
    })
    const redirectUri = 'http://127.0.0.1:9/callback/x'
    expect(
      redirectStatusOf(
        [
          hop('https://as.test/authorize', 302, '/login'),
          hop('https://as.test/login', 200),
          hop('https://as.test/login', 307, `${redirectUri}?code=c`),
          hop(`${redirectUri}?code=c`, 200),
        ],
        redirectUri,
      ),
    ).toBe(307)
    expect(
      redirectStatusOf([hop('https://as.test/login', 303, '/callback/x?code=c')], redirectUri),
    ).toBeUndefined()
    expect(
      redirectStatusOf(
        [hop('http://127.0.0.1:9/login', 303, '/callback/x?code=c')],
        redirectUri,
      ),
    ).toBe(303)
    expect(redirectStatusOf([hop('https://as.test/login', 200)], redirectUri)).toBeUndefined()
  })
})
