/**
 * The hostile matrix's foreign origin counts a credential in every form the harness could leak
 * one (helpers/foreign-recorder.ts), so its "0 credentials" assertion can fail; plain requests,
 * including a registration body whose values mention "code", do not count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startForeignRecorder, type ForeignRecorder } from './helpers/foreign-recorder.ts'

let foreign: ForeignRecorder
beforeAll(async () => {
  foreign = await startForeignRecorder()
})
afterAll(async () => {
  await foreign.close()
})

async function send(path: string, init: RequestInit = {}): Promise<void> {
  const response = await fetch(`${foreign.origin}${path}`, init)
  await response.text()
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded' }
const JSON_TYPE = { 'content-type': 'application/json' }

describe('the foreign recorder', () => {
  it('counts an Authorization header, a secret member (form, JSON, query) and a known secret', async () => {
    const before = foreign.requests.length
    await send('/a', { headers: { authorization: 'Bearer rat-1' } })
    await send('/b', { method: 'POST', headers: FORM, body: 'username=alice&password=pw' })
    await send('/c', { method: 'POST', headers: JSON_TYPE, body: '{"client_secret":"s"}' })
    await send('/d?code=abc')
    await send('/e', { method: 'POST', headers: FORM, body: 'token=known-secret-value' })
    const recorded = foreign.requests.slice(before)
    expect(recorded).toHaveLength(5)
    expect(recorded.filter((r) => foreign.credentialRequests(['known-secret-value']).includes(r))).toHaveLength(5)
    // Without the known value, the last one carries nothing recognisable.
    expect(recorded.filter((r) => foreign.credentialRequests().includes(r))).toHaveLength(4)
  })

  it('does not count plain requests', async () => {
    const before = foreign.requests.length
    await send('/jwks')
    const metadata = { response_types: ['code'], grant_types: ['authorization_code'], client_name: 'x' }
    await send('/register', { method: 'POST', headers: JSON_TYPE, body: JSON.stringify(metadata) })
    const recorded = foreign.requests.slice(before)
    expect(recorded).toHaveLength(2)
    expect(recorded.filter((r) => foreign.credentialRequests(['known-secret-value']).includes(r))).toEqual([])
  })
})
