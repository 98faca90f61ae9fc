import { describe, expect, it } from 'vitest'
import { scrubExchanges } from '../../../harness/browser/scrub.ts'
import type { Exchange } from '../../../harness/model/result.ts'

describe('password scrubbing', () => {
  it('removes the password in raw, URL- and form-encoded forms from requests and responses', () => {
    const password = 'p a&ss+'
    const exchange: Exchange = {
      request: {
        method: 'POST',
        url: `https://as.test/login?pw=${encodeURIComponent(password)}`,
        headers: {},
        body: new URLSearchParams({ user: 'alice', password }).toString(),
      },
      response: { status: 200, headers: {}, body: `echo ${password}` },
      durationMs: 1,
    }
    const [scrubbed] = scrubExchanges([exchange], password)
    expect(JSON.stringify(scrubbed)).not.toMatch(/p(%20|\+| )a(%26|&)ss/)
    expect(scrubbed?.request.body).toBe('user=alice&password=[redacted]')
    expect(scrubbed?.response?.body).toBe('echo [redacted]')
    expect(scrubExchanges([exchange], undefined)[0]).toBe(exchange)
  })
})
