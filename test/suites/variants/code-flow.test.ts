/**
 * code-flow/ (authorization endpoint, login drivers): conformant variants of real servers. A
 * server refusing http loopback redirect URIs for web clients (§6.1), refusing an untrusted client
 * or redirect URI on its own page (§6.2), accepting PKCE plain where it advertises it (§6.3),
 * answering the login POST with any redirect but 307 or with a page (§6.4), approving without
 * any page (§6.12) or requiring PKCE of every client (§6.11 pkce_required) must pass, be skipped
 * or warn, never fail. Also the interop findings of the MCP SDK and better-auth runs (seed, PKCE,
 * redirect URIs, scope): a fault or variant fails only the rule it breaks, or skips with the reason.
 */
import { describe, expect, it } from 'vitest'
import { failedChecks, failures, outcomesOutside, run, summary } from './support.ts'
import type { Policy, RunOptions } from './support.ts'

/**
 * Runs code-flow scenarios (the named ones, or the whole folder: both owners' files) on a clean
 * reference server started with `policy`; results by name.
 */
const runCodeFlowUnder = (policy: Policy, names?: string[]) =>
  run({ policy, folder: 'code-flow', names, workers: 4, ran: 'most' })

/** Runs code-flow scenario names on a reference server with a policy and faults; all must run. */
const runNamed = (options: RunOptions, names: string[]) =>
  run({ ...options, folder: 'code-flow', names, workers: 4, ran: 'all' })

describe('code-flow on a server that refuses http loopback redirect URIs for web clients (§6.1)', { timeout: 300_000 }, () => {
  it('registers the loopback callback as a native client: no scenario is inconclusive, failed or errored', async () => {
    const results = await runCodeFlowUnder({ registration: { allowHttpLoopbackForWeb: false } })
    expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
  })
})

describe('code-flow: an untrusted client or redirect URI refused on the server\'s own page (§6.2)', { timeout: 120_000 }, () => {
  const refusals = ['redirect-uri-exact-match', 'redirect-uri-unregistered', 'redirect-uri-required-when-several']
  for (const errorPage of ['status-200', 'status-400', 'redirect-own-page']) {
    it(`passes with authorize.errorPage ${errorPage}`, async () => {
      const results = await runCodeFlowUnder({ authorize: { errorPage } }, refusals)
      expect(outcomesOutside(results, ['passed'])).toEqual([])
    })
  }
})

describe('code-flow: PKCE plain accepted where the server advertises it (§6.3)', { timeout: 120_000 }, () => {
  it('pkce-unsupported-method passes with pkce.allowPlain', async () => {
    const results = await runCodeFlowUnder({ pkce: { allowPlain: true } }, ['pkce-unsupported-method'])
    expect(outcomesOutside(results, ['passed'])).toEqual([])
  })
})

describe('code-flow: the login POST answered by any redirect but 307, or by a page (§6.4)', { timeout: 120_000 }, () => {
  for (const afterLogin of ['redirect-302', 'page']) {
    it(`login-post-no-307 passes with authorize.afterLogin ${afterLogin}`, async () => {
      const results = await runCodeFlowUnder({ authorize: { afterLogin } }, ['login-post-no-307'])
      expect(outcomesOutside(results, ['passed'])).toEqual([])
    })
  }
})

describe('code-flow on a server that approves without any page (§6.12)', { timeout: 300_000 }, () => {
  it('the login-page scenarios are not applicable (skipped), none of the others fails', async () => {
    const pageScenarios = ['authorization-page-framing', 'login-post-no-307']
    const results = await runCodeFlowUnder({ authorize: { approveWithoutPage: 'alice' } })
    for (const id of pageScenarios) {
      const result = results.get(id)
      expect(result?.outcome, id).toBe('skipped')
    }
    expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
  })
})

describe('code-flow on a server where PKCE is mandatory for every client (§6.11 pkce_required)', { timeout: 300_000 }, () => {
  it('scenarios that need PKCE to be optional are skipped (unless: [pkce_required]), none fails', async () => {
    const results = await runCodeFlowUnder({ pkce: { requireForAllClients: true } })
    const downgrade = results.get('pkce-downgrade')
    expect(downgrade?.outcome, summary(downgrade)).toBe('skipped')
    expect(downgrade?.message).toMatch(/pkce_required/)
    expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
  })
})

describe('code-flow (seed, PKCE, redirect URIs, scope): interop findings of the MCP SDK and better-auth runs', { timeout: 120_000 }, () => {
  it('a token endpoint that never reads HTTP Basic and advertises client_secret_post (MCP SDK): set-up clients register target.auth_method, so only the Basic rule fails', { timeout: 180_000 }, async () => {
    const names = [
      'loopback-any-port',
      'pkce-downgrade',
      'pkce-verifier-required',
      'pkce-required-for-public-clients',
      'scope-outside-registration',
      'token-redirect-uri-must-match',
      'seed-walkthrough',
    ]
    const results = await runNamed({ faults: ['basic-ignored'] }, names)
    for (const name of names.filter((n) => n !== 'seed-walkthrough')) {
      const result = results.get(name)
      expect(result?.outcome, summary(result)).toBe('passed')
    }
    // seed-walkthrough is about HTTP Basic: it fails on R6749-2.3.1-a and on nothing else; the
    // token response is not judged on the other rules (its step does not run).
    const seed = results.get('seed-walkthrough')
    expect(seed?.outcome, summary(seed)).toBe('failed')
    expect(failedChecks(seed).map((c) => c.requirement)).toEqual(['R6749-2.3.1-a'])
    const judged = seed!.steps.find((step) => step.id === 'redeemed')
    expect(judged?.checks.filter((c) => c.notApplicable === undefined && c.ok) ?? []).toEqual([])
  })

  it('a server that registers more scope than asked (better-auth: openid profile email offline_access for openid): scope-outside-registration asks for a known scope it did not echo', async () => {
    const added = ['profile', 'email', 'offline_access']
    const results = await runNamed({ policy: { registration: { addedScopes: added } } }, [
      'scope-outside-registration',
    ])
    const result = results.get('scope-outside-registration')
    expect(result?.outcome, summary(result)).toBe('passed')
    const wider = result!.steps.find((step) => step.id === 'wider')
    const asked = wider?.exchanges[0]?.request.url ?? ''
    const scope = new URL(asked).searchParams.get('scope') ?? ''
    expect(scope.split(' ').filter((s) => s !== 'openid').some((s) => added.includes(s))).toBe(false)
    expect(scope).toMatch(/^openid \S+$/)
  })

  it('an error redirect without state fails R6749-4.1.2.1-b (MUST), not the PKCE or scope rule the redirect answers', async () => {
    const names = ['pkce-required-for-public-clients', 'scope-outside-registration']
    const results = await runNamed({ faults: ['state-dropped'] }, names)
    for (const name of names) {
      const result = results.get(name)
      expect(result?.outcome, summary(result)).toBe('failed')
      expect(failures(result)).toEqual([['R6749-4.1.2.1-b', 'must']])
    }
  })

  it('a server whose every known scope is registered for the client: scope-outside-registration is skipped with the reason', async () => {
    // The reference server's scopes_supported: the allowed scopes, the IAT scope and dcrm.
    const all = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'read', 'write', 'dcr', 'dcrm']
    const results = await runNamed({ policy: { registration: { addedScopes: all } } }, [
      'scope-outside-registration',
    ])
    const result = results.get('scope-outside-registration')
    expect(result?.outcome, summary(result)).toBe('skipped')
    expect(result?.message).toMatch(/scopes_supported/)
  })
})

describe('code-flow on a server that issues refresh tokens with every code but honours only the registered grant', { timeout: 120_000 }, () => {
  it('refresh-grant-needs-registration runs its refresh and passes on the unauthorized_client', async () => {
    const results = await runNamed({ policy: { tokens: { refreshTokenWithoutGrant: true } } }, [
      'refresh-grant-needs-registration',
    ])
    const result = results.get('refresh-grant-needs-registration')
    expect(result?.outcome, summary(result)).toBe('passed')
    const refresh = result?.steps.find((step) => step.id === 'refresh')
    expect(refresh?.outcome).toBe('passed')
    expect(refresh?.checks.some((check) => check.requirement === 'R6749-5.2-b' && check.ok)).toBe(true)
  })
})
