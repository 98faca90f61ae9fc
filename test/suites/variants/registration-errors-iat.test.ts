/**
 * registration/, errors/ and initial-access-token/ on conformant servers that differ from the
 * reference server's defaults. A verdict must not depend on another rule or on the IAT strategy:
 * errors/* provoke their error with inputs every server refuses and judge the error format only
 * on refusals, and a static IAT makes the client-credentials check not applicable. Conformant
 * behaviours of real servers (MCP SDK, better-auth) pass or only warn: RFC 7591 §2 defaults left
 * out of the response, errors without no-store or with quotes in error_description, no support
 * for the access_token query method.
 */
import { describe, expect, it } from 'vitest'
import { capabilitiesUnder } from '../policies.ts'
import { failures, run, summary } from './support.ts'

describe('errors/ and initial-access-token/: verdicts that must not depend on another rule or on the IAT strategy', { timeout: 180_000 }, () => {
  it('errors/* provoke their error with inputs every server refuses: a server accepting fragment redirect URIs fails none of them', async () => {
    const ids = [
      'errors/status-and-json-body',
      'errors/redirect-uri-error-code',
      'errors/metadata-error-code',
      'errors/error-description-ascii',
      'errors/success-has-no-error',
    ]
    const results = await run({ faults: ['fragment-redirect-accepted'], ids })
    expect(results.size).toBe(ids.length)
    for (const result of results.values()) expect(result.outcome, summary(result)).toBe('passed')
  })

  it('a static IAT (no token endpoint exchange) makes obtained-by-client-credentials not applicable, never failed', { timeout: 120_000 }, async () => {
    const token = 'harness-static-initial-access-token'
    const id = 'initial-access-token/obtained-by-client-credentials'
    const results = await run({
      policy: { registration: { staticInitialAccessToken: token } },
      capabilities: capabilitiesUnder(undefined),
      target: { registration: { iat: { strategy: 'static', token } } },
      ids: [id],
    })
    const result = results.get(id)
    expect(result?.outcome, summary(result)).toBe('skipped')
    const checks = result!.steps.flatMap((step) => step.checks)
    expect(checks.filter((c) => c.requirement !== undefined).every((c) => c.notApplicable)).toBe(
      true,
    )
  })
})

describe('registration/, errors/, initial-access-token/: conformant behaviours of real servers (MCP SDK, better-auth)', { timeout: 120_000 }, () => {
  it('errors/* judge the error format only on refusals: a server accepting the vector is not failed on the error format', async () => {
    const ids = ['errors/redirect-uri-error-code', 'errors/metadata-error-code']
    const results = await run({
      faults: ['relative-redirect-accepted', 'unknown-auth-method-accepted'],
      ids,
    })
    for (const result of results.values()) {
      const judged = result.steps.flatMap((step) => step.checks.filter((c) => c.requirement))
      expect(judged.every((c) => c.ok && c.notApplicable), summary(result)).toBe(true)
    }
    // Accepting a relative redirect URI breaks RFC 6749 §3.1.2: the blocker says so.
    const redirect = results.get('errors/redirect-uri-error-code')
    expect(redirect?.outcome, summary(redirect)).toBe('inconclusive')
    expect(redirect?.blocker?.violates).toBe('R6749-3.1.2-a')
    // An unknown auth method may be replaced (RFC 7591 §3.2.1): nothing to inspect, skipped.
    const metadata = results.get('errors/metadata-error-code')
    expect(metadata?.outcome, summary(metadata)).toBe('skipped')
  })

  it('a server leaving the RFC 7591 §2 defaults out of its response and honouring them fails nothing: only the explicit echo warns', async () => {
    // Absent grant_types / response_types / token_endpoint_auth_method mean the §2 defaults.
    const policy = { registration: { omitDefaultMembers: true, defaultRefreshTokenTtl: 0 } }
    const ids = ['registration/defaults-echoed', 'registration/echo-all-metadata']
    const results = await run({ policy, ids })
    for (const id of ids) {
      const scenario = results.get(id)
      expect(scenario?.outcome, summary(scenario)).toBe('warned')
      expect(failures(scenario)).toEqual([['R7591-3.2.1-f', 'should']])
    }
    const result = results.get('registration/defaults-echoed')
    // The stated (absent = client_secret_basic) method was really tried at the token endpoint.
    const authenticate = result!.steps.find((step) => step.id === 'authenticate')
    expect(authenticate?.checks.some((c) => c.requirement && c.ok && !c.notApplicable)).toBe(true)
  })

  it('registration errors without no-store (they carry no credentials) and with quotes in error_description pass', async () => {
    const policy = { registration: { noStoreOnErrors: false, plainErrorDescriptions: true } }
    const ids = ['registration/not-cacheable', 'errors/error-description-ascii']
    const results = await run({ policy, ids })
    for (const id of ids) {
      const result = results.get(id)
      expect(result?.outcome, summary(result)).toBe('passed')
    }
    // The informational checks did run and report what they saw.
    const failing = results.get('registration/not-cacheable')?.steps.find((s) => s.id === 'failing')
    expect(failing?.checks.find((c) => c.requirement)?.level).toBe('may')
  })

  it('a server that does not support the query method (ignores, or refuses, access_token in the query) skips token-in-header-and-query; one supporting it and refusing two methods passes', async () => {
    const id = 'initial-access-token/token-in-header-and-query'
    for (const queryToken of ['ignore', 'refuse']) {
      const result = (await run({ policy: { registration: { queryToken } }, ids: [id] })).get(id)
      expect(result?.outcome, `${queryToken}: ${summary(result)}`).toBe('skipped')
      expect(result?.message).toContain('client_id is absent')
    }
    const supporting = (await run({ policy: { registration: { queryToken: 'accept' } }, ids: [id] })).get(id)
    expect(supporting?.outcome, summary(supporting)).toBe('passed')
  })
})
