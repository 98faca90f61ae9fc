import { describe, expect, it } from 'vitest'
import { foreignPattern } from '../../../harness/browser/foreign-arrival.ts'
import { isRedirectTo } from '../../../harness/oauth/redirect-uri.ts'

describe('foreign arrival', () => {
  it("pauses document requests to the redirect URI's origin, CDP's wildcards escaped", () => {
    expect(foreignPattern('https://rp.harness.test/cb?tenant=a')).toEqual({
      urlPattern: 'https://rp.harness.test/*',
      resourceType: 'Document',
      requestStage: 'Request',
    })
    expect(foreignPattern('http://127.0.0.1:8080/callback/x')?.urlPattern).toBe('http://127.0.0.1:8080/*')
    // CDP reads `*` as a wildcard; a host may hold one.
    expect(foreignPattern('http://a*b.test/cb')?.urlPattern).toBe('http://a\\*b.test/*')
    expect(foreignPattern('not a url')).toBeUndefined()
  })

  it('is picked among what its pattern pauses by the redirect URI itself (isRedirectTo)', () => {
    const redirectUri = 'https://rp.harness.test/cb'
    expect(isRedirectTo('https://rp.harness.test/cb?code=x&state=y', redirectUri)).toBe(true)
    expect(isRedirectTo('https://rp.harness.test/cb2?code=x', redirectUri)).toBe(false)
    expect(isRedirectTo('https://rp.harness.test/login', redirectUri)).toBe(false)
    expect(isRedirectTo('https://rp.harness.test:444/cb?code=x', redirectUri)).toBe(false)
  })
})
