import { describe, expect, it } from 'vitest'
import { callbackPatterns } from '../../../harness/browser/callback-intercept.ts'

describe('callbackPatterns', () => {
  it('pauses every path of the callback origin, also when the URL carries userinfo', () => {
    const patterns = callbackPatterns({ origin: 'http://127.0.0.1:41234' })
    expect(patterns.map((pattern) => pattern.urlPattern)).toEqual([
      'http://127.0.0.1:41234/*',
      'http://*@127.0.0.1:41234/*',
    ])
    for (const pattern of patterns) {
      expect(pattern).toMatchObject({ resourceType: 'Document', requestStage: 'Request' })
    }
  })
})
