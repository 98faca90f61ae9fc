import { describe, expect, it } from 'vitest'
import { foreignPattern } from '../../../harness/browser/foreign-arrival.ts'

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
})
