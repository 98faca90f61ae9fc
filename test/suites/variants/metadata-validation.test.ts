/**
 * metadata-validation/ on conformant servers that differ from the reference server's defaults:
 * free-form scopes registered but never granted, wildcard redirect URIs stored literally, and the
 * interop findings of real servers (MCP SDK, better-auth) together with the RFC 7591 §6.6 (dropped
 * software_id / software_version) and §6.10 (invalid_client_metadata for redirect URIs) variants.
 * Such a server must pass (or be skipped, or warn on a SHOULD), never fail; and an accepted
 * negative vector is judged on its own rule only.
 */
import { describe, expect, it } from 'vitest'
import { failures, folderIds, outcomesOutside, run, summary } from './support.ts'

describe('metadata-validation: free-form scopes and literal wildcard redirect URIs', { timeout: 120_000 }, () => {
  it('a server registering undefined scopes as sent passes, without declaring any capability', async () => {
    const policy = { registration: { scopePolicy: 'accept' } }
    // The target declares nothing about its scope policy.
    const results = await run({
      policy,
      ids: ['metadata-validation/unknown-scope', 'metadata-validation/scope-echoed'],
    })
    const unknown = results.get('metadata-validation/unknown-scope')
    expect(unknown?.outcome, summary(unknown)).toBe('passed')
    // The scope was registered as sent: the echo shows it, so granting it would be no deviation,
    // and the grant is not judged.
    const registered = unknown!.steps.find((step) => step.id === 'register')
    const answer = registered?.exchanges.at(-1)?.response
    expect(answer?.status).toBe(201)
    expect(JSON.parse(answer?.body ?? '{}').scope).toMatch(/(^| )harness-unknown-scope( |$)/)
    const grant = unknown!.steps.find((step) => step.id === 'grant')
    expect(grant?.outcome).toBe('skipped')
    const echoed = results.get('metadata-validation/scope-echoed')
    expect(echoed?.outcome, summary(echoed)).toBe('passed')
  })

  it('a server removing undefined scopes from the registration passes, and its grant is judged', async () => {
    const results = await run({
      policy: { registration: { scopePolicy: 'remove' } },
      ids: ['metadata-validation/unknown-scope'],
    })
    const unknown = results.get('metadata-validation/unknown-scope')
    expect(unknown?.outcome, summary(unknown)).toBe('passed')
    // The echo left the scope out, so the grant check really ran (and held).
    const grant = unknown!.steps.find((step) => step.id === 'grant')
    expect(grant?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
  })

  it('a server storing a wildcard redirect URI literally and matching it exactly passes', async () => {
    const results = await run({
      policy: { registration: { wildcardRedirectUris: 'literal' } },
      ids: ['metadata-validation/redirect-uri-wildcard'],
    })
    const result = results.get('metadata-validation/redirect-uri-wildcard')
    expect(result?.outcome, summary(result)).toBe('passed')
    // The authorization check really ran (it applies only when the wildcard was registered).
    const matched = result?.steps.find((step) => step.id === 'matched')
    expect(matched?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
  })
})

describe('metadata-validation: a response without grant_types', { timeout: 120_000 }, () => {
  it('judges the password grant at the token endpoint: one that may use it warns', async () => {
    // The registration is accepted with the password grant, and the response shows no metadata.
    const id = 'metadata-validation/password-grant'
    const faults = ['no-echo', 'password-grant-accepted']
    const result = (await run({ faults, ids: [id] })).get(id)
    expect(result?.outcome, summary(result)).toBe('warned')
    const byStep = (step: string) =>
      result?.steps.find((candidate) => candidate.id === step)?.checks.map((c) => [c.ok, c.level])
    // Not shown at registration, so not judged there; the token endpoint answered invalid_grant.
    expect(byStep('register')).toEqual([[true, 'should']])
    expect(byStep('password-usable')).toEqual([[false, 'should']])
  })
})

describe('metadata-validation: interop findings (MCP SDK, better-auth) and RFC 7591 §6.6 / §6.10 variants', { timeout: 120_000 }, () => {
  it('a token endpoint that requires code_verifier before looking at the code (MCP SDK): the client_secret_post client still authenticates', async () => {
    const policy = { tokens: { codeVerifierRequired: true }, pkce: { requireForAllClients: true } }
    const results = await run({ policy, ids: ['metadata-validation/auth-method-secret-matrix'], workers: 4 })
    const result = results.get('metadata-validation/auth-method-secret-matrix')
    expect(result?.outcome, summary(result)).toBe('passed')
    const step = result?.steps.find((s) => s.id === 'post-authenticates')
    expect(step?.checks.every((c) => c.ok && c.notApplicable === undefined)).toBe(true)
  })

  it('a server registering none + client_credentials but refusing the grant at the token endpoint (better-auth) passes', async () => {
    const policy = { registration: { noneWithClientCredentials: 'accept' } }
    const results = await run({ policy, ids: ['metadata-validation/client-credentials-public'], workers: 4 })
    const result = results.get('metadata-validation/client-credentials-public')
    expect(result?.outcome, summary(result)).toBe('passed')
    // The grant was really tried, and refused.
    const grant = result?.steps.find((s) => s.id === 'grant')
    expect(grant?.exchanges.at(-1)?.response?.status).toBe(400)
    expect(grant?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
  })

  it('a server requiring redirect URIs only where RFC 6749 §3.1.2.2 says MUST: the confidential case warns, the public case passes', async () => {
    const policy = { registration: { redirectUrisRequired: 'public-and-implicit' } }
    const results = await run({
      policy,
      ids: ['metadata-validation/redirect-uris-required', 'metadata-validation/redirect-uris-required-public'],
      workers: 4,
    })
    const confidential = results.get('metadata-validation/redirect-uris-required')
    expect(confidential?.outcome, summary(confidential)).toBe('warned')
    const warned = failures(confidential)
    expect(warned.length).toBeGreaterThan(0)
    expect(warned.every(([req, level]) => req === 'R7591-5-b' && level === 'should')).toBe(true)
    const pub = results.get('metadata-validation/redirect-uris-required-public')
    expect(pub?.outcome, summary(pub)).toBe('passed')
  })

  it('an accepted negative vector is judged on its rule only: the error-code check (R7591-3.2.2-b) never runs on a 2xx', { timeout: 180_000 }, async () => {
    // The fault, the scenario, and the one requirement (at its level) its failures may cite.
    const cases: [string, string, string, string][] = [
      ['fragment-redirect-accepted', 'metadata-validation/redirect-uri-fragment', 'R6749-3.1.2-a', 'must'],
      ['redirect-http-accepted', 'metadata-validation/redirect-uri-http-non-loopback', 'R9700-2.6-a', 'must'],
      ['redirect-http-accepted', 'metadata-validation/redirect-uri-loopback-lookalike', 'R9700-2.6-a', 'must'],
      // Accepting data: and file: URIs breaks only the SHOULD R6749-3.1.2-b: a warning.
      ['redirect-javascript-accepted', 'metadata-validation/redirect-uri-data-and-file', 'R6749-3.1.2-b', 'should'],
      ['redirect-uris-not-required', 'metadata-validation/redirect-uris-required', 'R7591-5-b', 'should'],
    ]
    for (const [fault, id, requirement, level] of cases) {
      const results = await run({ faults: [fault], ids: [id], workers: 4 })
      const result = results.get(id)
      const failed = failures(result)
      expect(failed.length, `${fault} ${summary(result)}`).toBeGreaterThan(0)
      const cited = failed.every(([req, lvl]) => req === requirement && lvl === level)
      expect(cited, `${fault} ${summary(result)}`).toBe(true)
    }
  })

  it('a server that drops software_id and software_version (§6.6): descriptive-metadata and registration/echo-all-metadata pass, those checks not applicable', async () => {
    const policy = { registration: { ignoredMembers: ['software_id', 'software_version'] } }
    const ids = ['metadata-validation/descriptive-metadata', 'registration/echo-all-metadata']
    const results = await run({ policy, ids, workers: 4 })
    for (const id of ids) {
      const result = results.get(id)
      expect(result?.outcome, summary(result)).toBe('passed')
      const checks = result!.steps.flatMap((step) => step.checks)
      const dropped = checks.filter((c) => /software_(id|version)/.test(c.notApplicable ?? ''))
      expect(dropped, id).toHaveLength(2)
    }
  })

  it('a server answering redirect-URI problems with invalid_client_metadata (§6.10): no errors/, metadata-validation/ or personas/ scenario fails', { timeout: 600_000 }, async () => {
    const policy = { registration: { redirectUriErrorCode: 'invalid_client_metadata' } }
    const ids = [
      ...(await folderIds('errors')),
      ...(await folderIds('metadata-validation')),
      ...(await folderIds('personas')),
    ]
    const results = await run({ policy, ids, workers: 4 })
    expect(results.size).toBe(ids.length)
    expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
    // Only SHOULD checks may object to the less specific (but defined) code.
    for (const result of results.values())
      for (const [requirement, level] of failures(result))
        expect([requirement, level], result.id).toEqual(['R7591-3.2.2-b', 'should'])
  })
})

describe('metadata-validation: a server that cannot register the default auth method', { timeout: 120_000 }, () => {
  // RFC 7591 §2 lets such a server substitute a method it supports for the omitted one, shown in
  // the response; a public-clients-only server substitutes none and issues no secret.
  it('substituting none, visibly and without a secret, passes on a server advertising only none', async () => {
    const policy = { registration: { allowedAuthMethods: ['none'], defaultAuthMethod: 'none' } }
    const results = await run({ policy, ids: ['metadata-validation/auth-method-default'] })
    const result = results.get('metadata-validation/auth-method-default')
    expect(result?.outcome, summary(result)).toBe('passed')
    const answer = result!.steps[0]?.exchanges.at(-1)?.response
    const body = JSON.parse(answer?.body ?? '{}') as Record<string, unknown>
    expect([answer?.status, body.token_endpoint_auth_method, body.client_secret]).toEqual([
      201,
      'none',
      undefined,
    ])
  })

  it('the same substitution fails where client_secret_basic is advertised', async () => {
    const policy = { registration: { defaultAuthMethod: 'none' } }
    const results = await run({ policy, ids: ['metadata-validation/auth-method-default'] })
    const result = results.get('metadata-validation/auth-method-default')
    expect(failures(result)).toEqual([['R7591-2-b', 'must']])
  })
})
