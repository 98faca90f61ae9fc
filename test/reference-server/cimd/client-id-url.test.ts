import { describe, expect, it } from 'vitest'
import {
  clientIdUrlProblem,
  isClientIdUrl,
} from '../../../reference-server/cimd/client-id-url.ts'

describe('the Client Identifier URL (§3)', () => {
  it('is any client_id starting with https://', () => {
    expect(isClientIdUrl('https://client.example/app')).toBe(true)
    expect(isClientIdUrl('http://client.example/app')).toBe(false)
    expect(isClientIdUrl('a1b2c3')).toBe(false)
  })

  it('accepts https URLs with a path, a port or a query', () => {
    for (const id of [
      'https://client.example/app',
      'https://client.example:8443/app/client.json',
      'https://client.example/',
      'https://client.example/app?v=1',
    ])
      expect(clientIdUrlProblem(id), id).toBeUndefined()
  })

  it('names what is wrong with the others', () => {
    const cases: Array<[string, RegExp]> = [
      ['https://client.example', /path/],
      ['https://client.example?x=1', /path/],
      // A slash in the query is no path (RFC 3986 §3.2: the authority ends at `?`).
      ['https://client.example?q/x', /path/],
      ['https://client.example?q=@x/y', /path/],
      ['https://user:pw@client.example/app', /userinfo/],
      ['https://user@client.example/app', /userinfo/],
      ['https://client.example/app#x', /fragment/],
      ['https://client.example/a/../b', /dot path/],
      ['https://client.example/a/./b', /dot path/],
      ['https://client.example/a/%2E%2e/b', /dot path/],
      ['https://', /valid URL/],
    ]
    for (const [id, problem] of cases) expect(clientIdUrlProblem(id), id).toMatch(problem)
  })
})
