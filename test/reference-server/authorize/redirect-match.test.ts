import { describe, expect, it } from 'vitest'
import { redirectUriMatches } from '../../../reference-server/authorize/redirect-match.ts'
import { FaultSet } from '../../../reference-server/faults.ts'

const none = new FaultSet([])
const registered = 'http://127.0.0.1/cb'

describe('redirectUriMatches', () => {
  it('lets only the port of a loopback IP literal differ (RFC 8252 §7.3)', () => {
    expect(redirectUriMatches(none, registered, 'http://127.0.0.1:53127/cb')).toBe(true)
    expect(redirectUriMatches(none, 'http://[::1]/cb', 'http://[::1]:8080/cb')).toBe(true)
    expect(redirectUriMatches(none, 'http://127.0.0.1:1/cb?a=1', 'http://127.0.0.1/cb?a=1')).toBe(
      true,
    )
  })

  it('compares the rest as a string: other spellings of the address or path do not match', () => {
    for (const requested of [
      'http://127.1:53127/cb',
      'http://user@127.0.0.1:53127/cb',
      'http://127.0.0.1:53127/x/../cb',
      'http://127.0.0.1:53127/%63b',
      'http://127.0.0.1:53127/cb/',
      'http://127.0.0.1:53127/cb?x=1',
      'http://127.0.0.1:/cb',
      'http://localhost:53127/cb',
    ]) {
      expect(redirectUriMatches(none, registered, requested), requested).toBe(false)
    }
    expect(redirectUriMatches(none, 'https://rp.example/cb', 'https://rp.example:443/cb')).toBe(
      false,
    )
  })

  it('matches the parsed form under loopback-url-normalised, any path under loopback-any-path', () => {
    const normalised = new FaultSet(['loopback-url-normalised'])
    expect(redirectUriMatches(normalised, registered, 'http://127.1:53127/cb')).toBe(true)
    expect(redirectUriMatches(normalised, registered, 'http://127.0.0.1:53127/cb/')).toBe(false)
    const anyPath = new FaultSet(['loopback-any-path'])
    expect(redirectUriMatches(anyPath, registered, 'http://127.0.0.1:53127/other?x=1')).toBe(true)
    expect(redirectUriMatches(anyPath, registered, 'http://192.0.2.1:53127/cb')).toBe(false)
  })
})
