import { describe, expect, it } from 'vitest'
import { isRedirectTo, responseParameters } from '../../../harness/browser/redirect-uri.ts'

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
})
