import { describe, expect, it } from 'vitest'
import { foreignPattern, isForeignArrival } from '../../../harness/browser/foreign-arrival.ts'

const paused = (url: string) => ({ requestId: '1', request: { method: 'GET', url } })

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

  it('takes only the redirect URI itself among what its pattern pauses', () => {
    const redirectUri = 'https://rp.harness.test/cb'
    expect(isForeignArrival(paused('https://rp.harness.test/cb?code=x&state=y'), redirectUri)).toBe(true)
    expect(isForeignArrival(paused('https://rp.harness.test/cb2?code=x'), redirectUri)).toBe(false)
    expect(isForeignArrival(paused('https://rp.harness.test/login'), redirectUri)).toBe(false)
    expect(isForeignArrival(paused('https://rp.harness.test:444/cb?code=x'), redirectUri)).toBe(false)
  })
})
