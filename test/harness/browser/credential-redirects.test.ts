import { describe, expect, it } from 'vitest'
import type { Exchange } from '../../../harness/model/result.ts'
import { credentialRedirectStatuses } from '../../../harness/browser/credential-redirects.ts'

const exchange = (method: string, status: number, body?: string): Exchange => ({
  request: { method, url: 'https://as.test/x', headers: {}, ...(body !== undefined ? { body } : {}) },
  response: { status, headers: {} },
  durationMs: 0,
})
const password = 'p@ss word&"1'

describe('credentialRedirectStatuses', () => {
  it('takes the redirects of POSTs holding the password, in any of its body encodings', () => {
    const exchanges = [
      exchange('POST', 307, `user=u&password=${new URLSearchParams({ p: password }).toString().slice(2)}`),
      exchange('POST', 303, `{"password":${JSON.stringify(password)}}`),
      exchange('POST', 302, `password=${encodeURIComponent(password)}`),
      exchange('post', 308, `password=${password}`),
    ]
    expect(credentialRedirectStatuses(exchanges, password, false)).toEqual([307, 303, 302, 308])
  })

  it('ignores a 307 answering a GET, a POST without the password and answers that are no redirect', () => {
    const exchanges = [
      exchange('POST', 303, 'password=p%40ss+word%26%221'),
      exchange('GET', 307),
      exchange('POST', 307, 'consent=yes'),
      exchange('POST', 200, 'password=p%40ss+word%26%221'),
    ]
    expect(credentialRedirectStatuses(exchanges, password, false)).toEqual([303])
  })

  it('takes the first POST for the login form when no password is configured', () => {
    const login = [exchange('GET', 200), exchange('POST', 307, 'user=u&pw=x'), exchange('POST', 302, 'consent=yes')]
    expect(credentialRedirectStatuses(login, undefined, false)).toEqual([307])
    const consent = [exchange('POST', 303, 'user=u&pw=x'), exchange('GET', 307), exchange('POST', 307, 'consent=yes')]
    expect(credentialRedirectStatuses(consent, undefined, false)).toEqual([303])
  })

  it('finds none in an authorization that reused a stored session (no login POST; a consent POST is first)', () => {
    const reused = [exchange('GET', 200), exchange('POST', 307, 'consent=yes')]
    expect(credentialRedirectStatuses(reused, undefined, true)).toEqual([])
    expect(credentialRedirectStatuses(reused, undefined, false)).toEqual([307])
  })
})
