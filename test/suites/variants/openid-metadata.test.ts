/**
 * openid-metadata/ on a server that ignores optional OpenID metadata it does not support
 * (better-auth's oauth-provider): members it drops are neither stored nor echoed, which RFC 7591
 * §2 allows, and auth_time is sent only when required. No scenario may fail: refused or
 * unregistered members pass, and checks on unregistered members are not applicable (skipped,
 * with the reason).
 */
import { describe, expect, it } from 'vitest'
import { folderIds, run, summary } from './support.ts'

describe('openid-metadata on a server that ignores optional OpenID metadata it does not support (better-auth)', { timeout: 300_000 }, () => {
  /** Members better-auth's oauth-provider drops: not stored, not echoed (RFC 7591 §2). */
  const ignoredMembers = [
    'token_endpoint_auth_signing_alg', 'initiate_login_uri', 'id_token_signed_response_alg',
    'userinfo_signed_response_alg', 'default_max_age', 'require_auth_time',
  ]

  it('no openid-metadata scenario fails; checks on unregistered members are not applicable', async () => {
    const ids = await folderIds('openid-metadata')
    const policy = { registration: { ignoredMembers }, tokens: { authTimeOnlyWhenRequired: true } }
    const results = await run({ policy, ids })
    expect(results.size).toBe(ids.length)
    for (const result of results.values()) {
      expect(['passed', 'skipped'], summary(result)).toContain(result.outcome)
      if (result.outcome === 'skipped') expect(result.message, result.id).toBeTruthy()
    }
    const outcome = (id: string) => results.get(`openid-metadata/${id}`)
    // Refused or not registered: an ignored member passes.
    for (const id of ['auth-signing-alg-none-refused', 'https-only-members', 'unsupported-alg']) {
      expect(outcome(id)?.outcome, summary(outcome(id))).toBe('passed')
    }
    // The unsecured client assertion is still refused at the token endpoint.
    expect(outcome('auth-assertion-alg-none-refused')?.outcome).toBe('passed')
    // No signed UserInfo advertised; default_max_age / require_auth_time not registered.
    expect(outcome('signed-userinfo')?.outcome).toBe('skipped')
    expect(outcome('signed-userinfo')?.message).toMatch(/userinfo_signing_alg_values_supported/)
    for (const id of ['default-max-age', 'require-auth-time']) {
      expect(outcome(id)?.outcome, summary(outcome(id))).toBe('skipped')
      expect(outcome(id)?.message).toMatch(/results\.auth_time is absent/)
    }
  })
})
