/**
 * Which answers refuse the run's own registration credentials
 * (harness/verdicts/credentials-refused.ts): only requests marked as carrying them, and only
 * refusals of the token, not of the body.
 */
import { describe, expect, it } from 'vitest'
import type { Exchange } from '../../../harness/model/result.ts'
import {
  CREDENTIALS_REFUSED_CHECK,
  credentialsRefusedChecks,
  refusedRunCredentials,
} from '../../../harness/verdicts/credentials-refused.ts'

function exchange(
  status: number,
  options: { token?: boolean; run?: boolean; challenge?: string; body?: unknown } = {},
): Exchange {
  const { token = true, run = true } = options
  return {
    request: {
      method: 'POST',
      url: 'https://as.test/register',
      headers: token ? { authorization: 'Bearer t' } : {},
    },
    response: {
      status,
      headers: options.challenge ? { 'www-authenticate': options.challenge } : {},
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    },
    durationMs: 1,
    ...(run ? { runCredentials: true as const } : {}),
  }
}

const invalidToken = 'Bearer error="invalid_token"'
const refused = (...args: Parameters<typeof exchange>) => refusedRunCredentials(exchange(...args))

describe('refusedRunCredentials', () => {
  it('a token refused as a token: a 401 with a Bearer challenge or invalid_token', () => {
    expect(refused(401, { challenge: invalidToken })).toBe(true)
    expect(refused(401, { challenge: 'Bearer realm="x"' })).toBe(true)
    expect(refused(401, { body: { error: 'invalid_token' } })).toBe(true)
    expect(refused(403, { challenge: invalidToken })).toBe(true)
  })

  it('a 403 for a scope or a policy is left judged: policies refuse content with it too', () => {
    expect(refused(403, { body: { error: 'insufficient_scope' } })).toBe(false)
    const scope = 'Bearer error="insufficient_scope", scope="dcr"'
    expect(refused(403, { challenge: scope, body: { error: 'insufficient_scope' } })).toBe(false)
    expect(refused(403, { challenge: 'Bearer realm="x"' })).toBe(false)
  })

  it('no token at all answered 401 wants one, whatever its challenge', () => {
    expect(refused(401, { token: false })).toBe(true)
    expect(refused(403, { token: false })).toBe(false)
  })

  it("a refusal of the body, a success, or a token the scenario chose is not the run's", () => {
    expect(refused(401, { body: { error: 'invalid_client_metadata' } })).toBe(false)
    expect(refused(400, { challenge: invalidToken })).toBe(false)
    expect(refused(201)).toBe(false)
    expect(refused(401, { run: false, token: false })).toBe(false)
    expect(refused(401, { run: false, challenge: invalidToken })).toBe(false)
  })
})

describe('credentialsRefusedChecks', () => {
  it('one failed precondition naming the status and what was sent', () => {
    const [check, ...rest] = credentialsRefusedChecks([
      exchange(200, { run: false }),
      exchange(401, { token: false }),
    ])
    expect(rest).toEqual([])
    expect(check).toMatchObject({ name: CREDENTIALS_REFUSED_CHECK, ok: false, actual: 401 })
    expect(check!.requirement).toBeUndefined()
    expect(check!.message).toMatch(/^401 to a request without a token/)
  })

  it('nothing when no exchange refused the run credentials', () => {
    const answers = [exchange(201), exchange(400, { body: { error: 'invalid_redirect_uri' } })]
    expect(credentialsRefusedChecks(answers)).toEqual([])
    expect(credentialsRefusedChecks([])).toEqual([])
  })
})
