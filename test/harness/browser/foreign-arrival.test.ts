import { describe, expect, it } from 'vitest'
import { foreignPattern, isForeignArrival } from '../../../harness/browser/foreign-arrival.ts'

const paused = (url: string) => ({ requestId: '1', request: { method: 'GET', url } })

describe('foreign arrival', () => {
  it('pauses document requests to the redirect URI with any query, its wildcards escaped', () => {
    expect(foreignPattern('https://rp.harness.test/cb')).toEqual({
      urlPattern: 'https://rp.harness.test/cb*',
      resourceType: 'Document',
      requestStage: 'Request',
    })
    // The query is not part of the pattern (isRedirectTo ignores it); CDP reads `*` as a
    // wildcard, so a literal one in the path is escaped.
    expect(foreignPattern('https://rp.harness.test/cb2?tenant=a')?.urlPattern).toBe(
      'https://rp.harness.test/cb2*',
    )
    expect(foreignPattern('https://rp.harness.test/a*b')?.urlPattern).toBe(
      'https://rp.harness.test/a\\*b*',
    )
    expect(foreignPattern('not a url')).toBeUndefined()
  })

  it('takes only the redirect URI itself among what its pattern pauses', () => {
    const redirectUri = 'https://rp.harness.test/cb'
    expect(isForeignArrival(paused('https://rp.harness.test/cb?code=x&state=y'), redirectUri)).toBe(true)
    expect(isForeignArrival(paused('https://rp.harness.test/cb2?code=x'), redirectUri)).toBe(false)
    expect(isForeignArrival(paused('https://rp.harness.test:444/cb?code=x'), redirectUri)).toBe(false)
  })
})
