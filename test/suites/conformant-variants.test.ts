/**
 * Conformant behaviours that differ from the reference server's defaults: the reference server is
 * started with a policy that behaves like such a server, and the affected scenarios must pass or
 * be skipped, never fail. Each block adds its own policy (other suites append their blocks).
 */
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startReferenceTarget } from '../../harness/config/reference-target.ts'
import { runSuite } from '../../harness/run-suite.ts'
import { repoRoot } from '../../harness/scenario/vocabulary.ts'
import type { ScenarioResult } from '../../harness/types.ts'
import { capabilitiesUnder } from './policies.ts'

const root = repoRoot()

/** Runs scenario ids (paths under suites/) on a reference server started with `policy`. */
async function runUnder(
  policy: Record<string, unknown>,
  ids: string[],
): Promise<Map<string, ScenarioResult>> {
  const reference = await startReferenceTarget({ config: policy })
  try {
    const target = { ...reference.target, capabilities: capabilitiesUnder(policy) }
    const report = await runSuite({
      target,
      suite: ids.map((id) => join(root, 'suites', `${id}.yaml`)),
      loginDriver: 'http',
      cwd: root,
    })
    return new Map(report.scenarios.map((s) => [s.id, s]))
  } finally {
    await reference.close()
  }
}

function summary(result: ScenarioResult | undefined): string {
  if (!result) return 'no result'
  const failed = result.steps.flatMap((step) =>
    step.checks.filter((c) => !c.ok).map((c) => `${step.id}: ${c.name}: ${c.message ?? ''}`),
  )
  const errored = result.steps
    .filter((step) => step.outcome === 'errored')
    .map((step) => `${step.id}: ${step.message ?? ''}`)
  return [`${result.id} ${result.outcome} ${result.message ?? ''}`, ...errored, ...failed].join('\n  ')
}

describe('metadata-validation: free-form scopes and literal wildcard redirect URIs', () => {
  it(
    'a server registering undefined scopes but never granting them passes, without declaring any capability',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { scopePolicy: 'accept' } }
      const reference = await startReferenceTarget({ config: policy })
      try {
        // The target declares nothing about its scope policy.
        const capabilities = capabilitiesUnder(policy)
        const report = await runSuite({
          target: { ...reference.target, capabilities },
          suite: ['unknown-scope', 'scope-echoed'].map((id) =>
            join(root, 'suites', 'metadata-validation', `${id}.yaml`),
          ),
          loginDriver: 'http',
          cwd: root,
        })
        const results = new Map(report.scenarios.map((s) => [s.id, s]))
        const unknown = results.get('metadata-validation/unknown-scope')
        expect(unknown?.outcome, summary(unknown)).toBe('passed')
        // The scope was registered as sent, and the grant check really ran (and held).
        const registered = unknown!.steps.find((step) => step.id === 'register')
        const answer = registered?.exchanges.at(-1)?.response
        expect(answer?.status).toBe(201)
        expect(JSON.parse(answer?.body ?? '{}').scope).toMatch(/(^| )harness-unknown-scope( |$)/)
        const grant = unknown!.steps.find((step) => step.id === 'grant')
        expect(grant?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
        const echoed = results.get('metadata-validation/scope-echoed')
        expect(echoed?.outcome, summary(echoed)).toBe('passed')
      } finally {
        await reference.close()
      }
    },
  )

  it(
    'a server storing a wildcard redirect URI literally and matching it exactly passes',
    { timeout: 120_000 },
    async () => {
      const results = await runUnder({ registration: { wildcardRedirectUris: 'literal' } }, [
        'metadata-validation/redirect-uri-wildcard',
      ])
      const result = results.get('metadata-validation/redirect-uri-wildcard')
      expect(result?.outcome, summary(result)).toBe('passed')
      // The authorization check really ran (it applies only when the wildcard was registered).
      const matched = result?.steps.find((step) => step.id === 'matched')
      expect(matched?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
    },
  )
})

describe('code-flow, personas: token-endpoint and login-page variants', () => {
  /** Like runUnder, with faults and target overrides (scope) too. */
  async function runWith(
    options: {
      policy?: Record<string, unknown>
      faults?: string[]
      target?: Record<string, unknown>
    },
    ids: string[],
  ): Promise<Map<string, ScenarioResult>> {
    const reference = await startReferenceTarget({
      ...(options.policy ? { config: options.policy } : {}),
      faults: options.faults ?? [],
    })
    try {
      const target = {
        ...reference.target,
        capabilities: capabilitiesUnder(options.policy),
        ...options.target,
      }
      const report = await runSuite({
        target,
        suite: ids.map((id) => join(root, 'suites', `${id}.yaml`)),
        loginDriver: 'http',
        cwd: root,
      })
      return new Map(report.scenarios.map((s) => [s.id, s]))
    } finally {
      await reference.close()
    }
  }

  it(
    'a server without the client_credentials grant at all answers unsupported_grant_type (RFC 6749 §5.2) and passes',
    { timeout: 120_000 },
    async () => {
      const grants = ['authorization_code', 'refresh_token']
      const policy = {
        registration: { authentication: 'none', allowedGrantTypes: grants },
        tokens: { grantTypes: grants },
      }
      const results = await runWith({ policy }, ['code-flow/grant-type-enforced'])
      const result = results.get('code-flow/grant-type-enforced')
      expect(result?.outcome, summary(result)).toBe('passed')
      const answer = result?.steps.find((step) => step.id === 'client-credentials')
      expect(answer?.checks.every((c) => c.ok)).toBe(true)
    },
  )

  it(
    'a server that approves without any page: the login-page checks are not applicable, not failed',
    { timeout: 120_000 },
    async () => {
      const policy = { authorize: { approveWithoutPage: 'alice' } }
      const ids = [
        'personas/chatgpt',
        'personas/claude-code',
        'personas/codex',
        'personas/cursor',
        'personas/mcp-resource-charset',
        'personas/vscode',
      ]
      const results = await runWith({ policy }, ids)
      for (const id of ids) {
        const result = results.get(id)
        expect(['passed', 'skipped'], summary(result)).toContain(result?.outcome)
      }
      const start = results.get('personas/chatgpt')?.steps.find((step) => step.id === 'start')
      const page = start?.checks.find((c) => c.name.startsWith('the login page loads'))
      expect(page?.notApplicable).toBe('status is absent')
      // The redirect carried a code, and that check did apply.
      expect(start?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
    },
  )

  it(
    'a server refusing a redirect URI with invalid_client_metadata (a defined RFC 7591 code): personas never fail',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { redirectUriErrorCode: 'invalid_client_metadata' } }
      const results = await runWith({ policy }, ['personas/cursor', 'personas/vscode'])
      const cursor = results.get('personas/cursor')
      // Refused with the less specific defined code: a warning (R7591-3.2.2-b), not a failure.
      expect(cursor?.outcome, summary(cursor)).toBe('warned')
      const warned = cursor!.steps.flatMap((step) => step.checks.filter((c) => !c.ok))
      expect(warned.map((c) => [c.requirement, c.level])).toEqual([['R7591-3.2.2-b', 'should']])
      const vscode = results.get('personas/vscode')
      expect(['passed', 'skipped'], summary(vscode)).toContain(vscode?.outcome)
    },
  )

  const refreshScenarios = [
    'code-flow/refresh-bound-to-client',
    'code-flow/refresh-rotation-public-client',
    'code-flow/refresh-scope-widening',
  ]

  it(
    'a server issuing refresh tokens only for offline_access: inconclusive without that scope, passed with it',
    { timeout: 180_000 },
    async () => {
      const policy = { tokens: { refreshTokenScope: 'offline_access' } }
      const without = await runWith({ policy }, refreshScenarios)
      for (const id of refreshScenarios) {
        const result = without.get(id)
        expect(result?.outcome, summary(result)).toBe('inconclusive')
        expect(result?.blocker?.step, id).toBe('redeem')
      }
      // targets.yaml `scope: openid offline_access` makes the server issue them.
      const withScope = await runWith(
        { policy, target: { scope: 'openid offline_access' } },
        refreshScenarios,
      )
      for (const id of refreshScenarios) {
        const result = withScope.get(id)
        expect(result?.outcome, summary(result)).toBe('passed')
      }
    },
  )

  it(
    'an ID token with a wrong aud fails the aud check (OIDCC-2-a), never the signature (OIDCC-10.1-b)',
    { timeout: 120_000 },
    async () => {
      const results = await runWith({ faults: ['id-token-aud-wrong'] }, [
        'code-flow/id-token-signature',
        'code-flow/id-token-claims',
      ])
      const signature = results.get('code-flow/id-token-signature')
      expect(signature?.outcome, summary(signature)).toBe('passed')
      const claims = results.get('code-flow/id-token-claims')
      expect(claims?.outcome).toBe('failed')
      const failed = claims!.steps.flatMap((step) => step.checks.filter((c) => !c.ok))
      expect(failed.map((c) => [c.requirement, c.name])).toEqual([
        ['OIDCC-2-a', 'aud contains the client_id'],
      ])
      expect(failed[0]!.actual).toMatch(/does not contain/)
    },
  )
})

// --- code-flow (authorization endpoint, login drivers): conformant variants of real servers ---

/** Scenario files of suites/code-flow (the whole folder: both owners' files), or the named ones. */
async function codeFlowFiles(names?: string[]): Promise<string[]> {
  const { readdir } = await import('node:fs/promises')
  const dir = join(root, 'suites', 'code-flow')
  const all = (await readdir(dir)).filter((name) => name.endsWith('.yaml'))
  return all
    .filter((name) => names === undefined || names.includes(name.replace(/\.yaml$/, '')))
    .map((name) => join(dir, name))
}

/** Run scenario files on a clean reference server started with `policy`. */
async function runCodeFlowUnder(
  policy: Record<string, unknown>,
  files: string[],
): Promise<ScenarioResult[]> {
  const reference = await startReferenceTarget({ config: policy })
  try {
    const target = { ...reference.target, capabilities: capabilitiesUnder(policy) }
    const report = await runSuite({
      target,
      suite: files,
      loginDriver: 'http',
      workers: 4,
      cwd: root,
    })
    // Every named file ran (the whole folder may hold scenarios this target does not plan).
    expect(report.scenarios.length).toBeGreaterThan(files.length / 2)
    return report.scenarios
  } finally {
    await reference.close()
  }
}

/** A summary of every scenario whose outcome is not in `allowed`. */
function outcomesOutside(results: ScenarioResult[], allowed: string[]): string[] {
  return results.filter((s) => !allowed.includes(s.outcome)).map((s) => summary(s))
}

describe('code-flow on a server that refuses http loopback redirect URIs for web clients (§6.1)', () => {
  it(
    'registers the loopback callback as a native client: no scenario is inconclusive, failed or errored',
    { timeout: 300_000 },
    async () => {
      const results = await runCodeFlowUnder(
        { registration: { allowHttpLoopbackForWeb: false } },
        await codeFlowFiles(),
      )
      expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
    },
  )
})

describe('code-flow: an untrusted client or redirect URI refused on the server\'s own page (§6.2)', () => {
  const refusals = ['redirect-uri-exact-match', 'redirect-uri-unregistered', 'redirect-uri-required-when-several']
  for (const errorPage of ['status-200', 'status-400', 'redirect-own-page']) {
    it(`passes with authorize.errorPage ${errorPage}`, { timeout: 120_000 }, async () => {
      const results = await runCodeFlowUnder(
        { authorize: { errorPage } },
        await codeFlowFiles(refusals),
      )
      expect(outcomesOutside(results, ['passed'])).toEqual([])
    })
  }
})

describe('code-flow: PKCE plain accepted where the server advertises it (§6.3)', () => {
  it('pkce-unsupported-method passes with pkce.allowPlain', { timeout: 120_000 }, async () => {
    const results = await runCodeFlowUnder(
      { pkce: { allowPlain: true } },
      await codeFlowFiles(['pkce-unsupported-method']),
    )
    expect(outcomesOutside(results, ['passed'])).toEqual([])
  })
})

describe('code-flow: the login POST answered by any redirect but 307, or by a page (§6.4)', () => {
  for (const afterLogin of ['redirect-302', 'page']) {
    it(`login-post-no-307 passes with authorize.afterLogin ${afterLogin}`, { timeout: 120_000 }, async () => {
      const results = await runCodeFlowUnder(
        { authorize: { afterLogin } },
        await codeFlowFiles(['login-post-no-307']),
      )
      expect(outcomesOutside(results, ['passed'])).toEqual([])
    })
  }
})

describe('code-flow on a server that approves without any page (§6.12)', () => {
  it(
    'the login-page scenarios are not applicable (skipped), none of the others fails',
    { timeout: 300_000 },
    async () => {
      const pageScenarios = ['authorization-page-framing', 'login-post-no-307']
      const results = await runCodeFlowUnder(
        { authorize: { approveWithoutPage: 'alice' } },
        await codeFlowFiles(),
      )
      for (const id of pageScenarios) {
        const result = results.find((s) => s.id === `code-flow/${id}`)
        expect(result?.outcome, id).toBe('skipped')
      }
      expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
    },
  )
})

describe('errors/ and initial-access-token/: verdicts that must not depend on another rule or on the IAT strategy', () => {
  it(
    'errors/* provoke their error with inputs every server refuses: a server accepting fragment redirect URIs fails none of them',
    { timeout: 180_000 },
    async () => {
      const ids = [
        'errors/status-and-json-body',
        'errors/redirect-uri-error-code',
        'errors/metadata-error-code',
        'errors/error-description-ascii',
        'errors/success-has-no-error',
      ]
      const reference = await startReferenceTarget({ faults: ['fragment-redirect-accepted'] })
      try {
        const report = await runSuite({
          target: { ...reference.target, capabilities: capabilitiesUnder(undefined) },
          suite: ids.map((id) => join(root, 'suites', `${id}.yaml`)),
          loginDriver: 'http',
          cwd: root,
        })
        expect(report.scenarios).toHaveLength(ids.length)
        for (const result of report.scenarios)
          expect(result.outcome, summary(result)).toBe('passed')
      } finally {
        await reference.close()
      }
    },
  )

  it(
    'a static IAT (no token endpoint exchange) makes obtained-by-client-credentials not applicable, never failed',
    { timeout: 120_000 },
    async () => {
      const token = 'harness-static-initial-access-token'
      const reference = await startReferenceTarget({
        config: { registration: { staticInitialAccessToken: token } },
      })
      try {
        const report = await runSuite({
          target: {
            ...reference.target,
            capabilities: capabilitiesUnder(undefined),
            registration: { iat: { strategy: 'static', token } },
          },
          suite: [join(root, 'suites', 'initial-access-token', 'obtained-by-client-credentials.yaml')],
          loginDriver: 'http',
          cwd: root,
        })
        const result = report.scenarios[0]
        expect(result?.outcome, summary(result)).toBe('skipped')
        const checks = result!.steps.flatMap((step) => step.checks)
        expect(checks.filter((c) => c.requirement !== undefined).every((c) => c.notApplicable)).toBe(
          true,
        )
      } finally {
        await reference.close()
      }
    },
  )
})

describe('code-flow on a server where PKCE is mandatory for every client (§6.11 pkce_required)', () => {
  it(
    'scenarios that need PKCE to be optional are skipped (unless: [pkce_required]), none fails',
    { timeout: 300_000 },
    async () => {
      const results = await runCodeFlowUnder(
        { pkce: { requireForAllClients: true } },
        await codeFlowFiles(),
      )
      const downgrade = results.find((s) => s.id === 'code-flow/pkce-downgrade')
      expect(downgrade?.outcome, summary(downgrade)).toBe('skipped')
      expect(downgrade?.message).toMatch(/pkce_required/)
      expect(outcomesOutside(results, ['passed', 'skipped', 'warned'])).toEqual([])
    },
  )
})

describe('code-flow (seed, PKCE, redirect URIs, scope): interop findings of the MCP SDK and better-auth runs', () => {
  /** Runs code-flow scenario names on a reference server with a policy and faults. */
  async function runNamed(
    options: { policy?: Record<string, unknown>; faults?: string[] },
    names: string[],
  ): Promise<Map<string, ScenarioResult>> {
    const reference = await startReferenceTarget({
      ...(options.policy ? { config: options.policy } : {}),
      faults: options.faults ?? [],
    })
    try {
      const report = await runSuite({
        target: { ...reference.target, capabilities: capabilitiesUnder(options.policy) },
        suite: names.map((name) => join(root, 'suites', 'code-flow', `${name}.yaml`)),
        loginDriver: 'http',
        workers: 4,
        cwd: root,
      })
      expect(report.scenarios).toHaveLength(names.length)
      return new Map(report.scenarios.map((s) => [s.id.replace(/^code-flow\//, ''), s]))
    } finally {
      await reference.close()
    }
  }

  it(
    'a token endpoint that never reads HTTP Basic and advertises client_secret_post (MCP SDK): set-up clients register target.auth_method, so only the Basic rule fails',
    { timeout: 180_000 },
    async () => {
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
      const failed = seed!.steps.flatMap((step) => step.checks.filter((c) => !c.ok))
      expect(failed.map((c) => c.requirement)).toEqual(['R6749-2.3.1-a'])
      const judged = seed!.steps.find((step) => step.id === 'redeemed')
      expect(judged?.checks.filter((c) => c.notApplicable === undefined && c.ok) ?? []).toEqual([])
    },
  )

  it(
    'a server that registers more scope than asked (better-auth: openid profile email offline_access for openid): scope-outside-registration asks for a known scope it did not echo',
    { timeout: 120_000 },
    async () => {
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
    },
  )

  it(
    'an error redirect without state fails R6749-4.1.2.1-b (MUST), not the PKCE or scope rule the redirect answers',
    { timeout: 120_000 },
    async () => {
      const names = ['pkce-required-for-public-clients', 'scope-outside-registration']
      const results = await runNamed({ faults: ['state-dropped'] }, names)
      for (const name of names) {
        const result = results.get(name)
        expect(result?.outcome, summary(result)).toBe('failed')
        const failed = result!.steps.flatMap((step) => step.checks.filter((c) => !c.ok))
        expect(failed.map((c) => [c.requirement, c.level])).toEqual([['R6749-4.1.2.1-b', 'must']])
      }
    },
  )

  it(
    'a server whose every known scope is registered for the client: scope-outside-registration is skipped with the reason',
    { timeout: 120_000 },
    async () => {
      // The reference server's scopes_supported: the allowed scopes, the IAT scope and dcrm.
      const all = ['openid', 'profile', 'email', 'address', 'phone', 'offline_access', 'read', 'write', 'dcr', 'dcrm']
      const results = await runNamed({ policy: { registration: { addedScopes: all } } }, [
        'scope-outside-registration',
      ])
      const result = results.get('scope-outside-registration')
      expect(result?.outcome, summary(result)).toBe('skipped')
      expect(result?.message).toMatch(/scopes_supported/)
    },
  )
})

describe('openid-metadata on a server that ignores optional OpenID metadata it does not support (better-auth)', () => {
  /** Members better-auth's oauth-provider drops: not stored, not echoed (RFC 7591 §2). */
  const ignoredMembers = [
    'token_endpoint_auth_signing_alg',
    'initiate_login_uri',
    'id_token_signed_response_alg',
    'userinfo_signed_response_alg',
    'default_max_age',
    'require_auth_time',
  ]

  it(
    'no openid-metadata scenario fails; checks on unregistered members are not applicable',
    { timeout: 300_000 },
    async () => {
      const { readdirSync } = await import('node:fs')
      const ids = readdirSync(join(root, 'suites', 'openid-metadata'))
        .filter((name) => name.endsWith('.yaml'))
        .map((name) => `openid-metadata/${name.slice(0, -'.yaml'.length)}`)
      const policy = { registration: { ignoredMembers }, tokens: { authTimeOnlyWhenRequired: true } }
      const results = await runUnder(policy, ids)
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
    },
  )
})

describe('registration/, errors/, initial-access-token/: conformant behaviours of real servers (MCP SDK, better-auth)', () => {
  it(
    'errors/* judge the error format only on refusals: a server accepting the vector is not failed on the error format',
    { timeout: 120_000 },
    async () => {
      const ids = ['errors/redirect-uri-error-code', 'errors/metadata-error-code']
      const reference = await startReferenceTarget({
        faults: ['relative-redirect-accepted', 'unknown-auth-method-accepted'],
      })
      try {
        const report = await runSuite({
          target: { ...reference.target, capabilities: capabilitiesUnder(undefined) },
          suite: ids.map((id) => join(root, 'suites', `${id}.yaml`)),
          loginDriver: 'http',
          cwd: root,
        })
        const results = new Map(report.scenarios.map((r) => [r.id, r]))
        for (const result of report.scenarios) {
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
      } finally {
        await reference.close()
      }
    },
  )

  it(
    'a server leaving the RFC 7591 §2 defaults out of its response and honouring them fails nothing: only the explicit echo warns',
    { timeout: 120_000 },
    async () => {
      // Absent grant_types / response_types / token_endpoint_auth_method mean the §2 defaults.
      const policy = { registration: { omitDefaultMembers: true, defaultRefreshTokenTtl: 0 } }
      const ids = ['registration/defaults-echoed', 'registration/echo-all-metadata']
      const results = await runUnder(policy, ids)
      for (const id of ids) {
        const scenario = results.get(id)
        expect(scenario?.outcome, summary(scenario)).toBe('warned')
        const notOk = scenario!.steps.flatMap((step) => step.checks.filter((c) => !c.ok))
        expect(notOk.map((c) => [c.requirement, c.level])).toEqual([['R7591-3.2.1-f', 'should']])
      }
      const result = results.get('registration/defaults-echoed')
      // The stated (absent = client_secret_basic) method was really tried at the token endpoint.
      const authenticate = result!.steps.find((step) => step.id === 'authenticate')
      expect(authenticate?.checks.some((c) => c.requirement && c.ok && !c.notApplicable)).toBe(true)
    },
  )

  it(
    'registration errors without no-store (they carry no credentials) and with quotes in error_description pass',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { noStoreOnErrors: false, plainErrorDescriptions: true } }
      const ids = ['registration/not-cacheable', 'errors/error-description-ascii']
      const results = await runUnder(policy, ids)
      for (const id of ids) {
        const result = results.get(id)
        expect(result?.outcome, summary(result)).toBe('passed')
      }
      // The informational checks did run and report what they saw.
      const failing = results.get('registration/not-cacheable')?.steps.find((s) => s.id === 'failing')
      expect(failing?.checks.find((c) => c.requirement)?.level).toBe('may')
    },
  )

  it(
    'a server that does not support the query method (ignores, or refuses, access_token in the query) skips token-in-header-and-query; one supporting it and refusing two methods passes',
    { timeout: 120_000 },
    async () => {
      const id = 'initial-access-token/token-in-header-and-query'
      for (const queryToken of ['ignore', 'refuse']) {
        const result = (await runUnder({ registration: { queryToken } }, [id])).get(id)
        expect(result?.outcome, `${queryToken}: ${summary(result)}`).toBe('skipped')
        expect(result?.message).toContain('client_id is absent')
      }
      const supporting = (await runUnder({ registration: { queryToken: 'accept' } }, [id])).get(id)
      expect(supporting?.outcome, summary(supporting)).toBe('passed')
    },
  )
})

describe('metadata-validation: interop findings (MCP SDK, better-auth) and RFC 7591 §6.6 / §6.10 variants', () => {
  /** Runs scenario ids on a reference server with a policy and/or faults; all ids must run. */
  async function runIds(
    options: { policy?: Record<string, unknown>; faults?: string[] },
    ids: string[],
  ): Promise<Map<string, ScenarioResult>> {
    const reference = await startReferenceTarget({
      ...(options.policy ? { config: options.policy } : {}),
      faults: options.faults ?? [],
    })
    try {
      const report = await runSuite({
        target: { ...reference.target, capabilities: capabilitiesUnder(options.policy) },
        suite: ids.map((id) => join(root, 'suites', `${id}.yaml`)),
        loginDriver: 'http',
        workers: 4,
        cwd: root,
      })
      return new Map(report.scenarios.map((s) => [s.id, s]))
    } finally {
      await reference.close()
    }
  }

  /** [requirement, level] of every failed check of a result. */
  function failures(result: ScenarioResult | undefined): [string | undefined, string][] {
    return (result?.steps ?? []).flatMap((step) =>
      step.checks.filter((c) => !c.ok).map((c): [string | undefined, string] => [c.requirement, c.level]),
    )
  }

  /** Every scenario file of a suites/ folder, as ids. */
  async function folderIds(folder: string): Promise<string[]> {
    const { readdirSync } = await import('node:fs')
    return readdirSync(join(root, 'suites', folder))
      .filter((name) => name.endsWith('.yaml'))
      .map((name) => `${folder}/${name.slice(0, -'.yaml'.length)}`)
  }

  it(
    'a token endpoint that requires code_verifier before looking at the code (MCP SDK): the client_secret_post client still authenticates',
    { timeout: 120_000 },
    async () => {
      const policy = { tokens: { codeVerifierRequired: true }, pkce: { requireForAllClients: true } }
      const results = await runIds({ policy }, ['metadata-validation/auth-method-secret-matrix'])
      const result = results.get('metadata-validation/auth-method-secret-matrix')
      expect(result?.outcome, summary(result)).toBe('passed')
      const step = result?.steps.find((s) => s.id === 'post-authenticates')
      expect(step?.checks.every((c) => c.ok && c.notApplicable === undefined)).toBe(true)
    },
  )

  it(
    'a server registering none + client_credentials but refusing the grant at the token endpoint (better-auth) passes',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { noneWithClientCredentials: 'accept' } }
      const results = await runIds({ policy }, ['metadata-validation/client-credentials-public'])
      const result = results.get('metadata-validation/client-credentials-public')
      expect(result?.outcome, summary(result)).toBe('passed')
      // The grant was really tried, and refused.
      const grant = result?.steps.find((s) => s.id === 'grant')
      expect(grant?.exchanges.at(-1)?.response?.status).toBe(400)
      expect(grant?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
    },
  )

  it(
    'a server requiring redirect URIs only where RFC 6749 §3.1.2.2 says MUST: the confidential case warns, the public case passes',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { redirectUrisRequired: 'public-and-implicit' } }
      const results = await runIds({ policy }, [
        'metadata-validation/redirect-uris-required',
        'metadata-validation/redirect-uris-required-public',
      ])
      const confidential = results.get('metadata-validation/redirect-uris-required')
      expect(confidential?.outcome, summary(confidential)).toBe('warned')
      const warned = failures(confidential)
      expect(warned.length).toBeGreaterThan(0)
      expect(warned.every(([req, level]) => req === 'R7591-5-b' && level === 'should')).toBe(true)
      const pub = results.get('metadata-validation/redirect-uris-required-public')
      expect(pub?.outcome, summary(pub)).toBe('passed')
    },
  )

  it(
    'an accepted negative vector is judged on its rule only: the error-code check (R7591-3.2.2-b) never runs on a 2xx',
    { timeout: 180_000 },
    async () => {
      const cases: [string, string, string][] = [
        ['fragment-redirect-accepted', 'metadata-validation/redirect-uri-fragment', 'R6749-3.1.2-a'],
        ['redirect-http-accepted', 'metadata-validation/redirect-uri-http-non-loopback', 'R9700-2.6-a'],
        ['redirect-http-accepted', 'metadata-validation/redirect-uri-loopback-lookalike', 'R9700-2.6-a'],
        ['redirect-javascript-accepted', 'metadata-validation/redirect-uri-data-and-file', 'R6749-3.1.2-a'],
        ['redirect-uris-not-required', 'metadata-validation/redirect-uris-required', 'R7591-5-b'],
      ]
      for (const [fault, id, requirement] of cases) {
        const results = await runIds({ faults: [fault] }, [id])
        const result = results.get(id)
        const failed = failures(result)
        expect(failed.length, `${fault} ${summary(result)}`).toBeGreaterThan(0)
        expect(failed.every(([req]) => req === requirement), `${fault} ${summary(result)}`).toBe(true)
      }
    },
  )

  it(
    'a server that drops software_id and software_version (§6.6): descriptive-metadata and registration/echo-all-metadata pass, those checks not applicable',
    { timeout: 120_000 },
    async () => {
      const policy = { registration: { ignoredMembers: ['software_id', 'software_version'] } }
      const ids = ['metadata-validation/descriptive-metadata', 'registration/echo-all-metadata']
      const results = await runIds({ policy }, ids)
      for (const id of ids) {
        const result = results.get(id)
        expect(result?.outcome, summary(result)).toBe('passed')
        const checks = result!.steps.flatMap((step) => step.checks)
        const dropped = checks.filter((c) => /software_(id|version)/.test(c.notApplicable ?? ''))
        expect(dropped, id).toHaveLength(2)
      }
    },
  )

  it(
    'a server answering redirect-URI problems with invalid_client_metadata (§6.10): no errors/, metadata-validation/ or personas/ scenario fails',
    { timeout: 600_000 },
    async () => {
      const policy = { registration: { redirectUriErrorCode: 'invalid_client_metadata' } }
      const ids = [
        ...(await folderIds('errors')),
        ...(await folderIds('metadata-validation')),
        ...(await folderIds('personas')),
      ]
      const results = await runIds({ policy }, ids)
      expect(results.size).toBe(ids.length)
      const bad = [...results.values()]
        .filter((r) => !['passed', 'skipped', 'warned'].includes(r.outcome))
        .map((r) => summary(r))
      expect(bad).toEqual([])
      // Only SHOULD checks may object to the less specific (but defined) code.
      for (const result of results.values())
        for (const [requirement, level] of failures(result))
          expect([requirement, level], result.id).toEqual(['R7591-3.2.2-b', 'should'])
    },
  )
})

describe('code-flow client authentication: a token endpoint that never reads HTTP Basic (MCP SDK), and plain OAuth servers', () => {
  /** The code-flow scenarios about client authentication, tokens, ID tokens and refresh. */
  const clientAuthNames = [
    'auth-method-enforced',
    'client-secret-post',
    'client-secret-basic',
    'client-secret-basic-token',
    'code-bound-to-client',
    'code-replay-revokes-tokens',
    'code-reuse',
    'confidential-client-must-authenticate',
    'grant-type-enforced',
    'id-token-at-hash',
    'id-token-claims',
    'id-token-nonce',
    'id-token-signature',
    'refresh-bound-to-client',
    'refresh-rotation-public-client',
    'refresh-scope-widening',
    'token-response',
    'two-auth-methods',
    'userinfo-sub',
    'wrong-secret',
  ]

  async function runClientAuth(
    options: { policy?: Record<string, unknown>; faults?: string[]; capabilities?: string[] },
    names: string[],
  ): Promise<Map<string, ScenarioResult>> {
    const reference = await startReferenceTarget({
      ...(options.policy ? { config: options.policy } : {}),
      faults: options.faults ?? [],
    })
    try {
      const report = await runSuite({
        target: {
          ...reference.target,
          capabilities: options.capabilities ?? capabilitiesUnder(options.policy),
        },
        suite: names.map((name) => join(root, 'suites', 'code-flow', `${name}.yaml`)),
        loginDriver: 'http',
        workers: 4,
        cwd: root,
      })
      expect(report.scenarios).toHaveLength(names.length)
      return new Map(report.scenarios.map((s) => [s.id.replace(/^code-flow\//, ''), s]))
    } finally {
      await reference.close()
    }
  }

  const failedChecks = (result: ScenarioResult | undefined) =>
    (result?.steps ?? []).flatMap((step) =>
      step.checks.filter((c) => !c.ok && c.requirement !== undefined).map((c) => [c.requirement, c.level]),
    )

  it(
    'under basic-ignored only the Basic scenarios object, and only on R6749-2.3.1-a (R6749-2.3-a warns): set-up clients register target.auth_method',
    { timeout: 300_000 },
    async () => {
      const results = await runClientAuth({ faults: ['basic-ignored'] }, clientAuthNames)
      for (const name of ['client-secret-basic', 'client-secret-basic-token']) {
        const result = results.get(name)
        expect(result?.outcome, summary(result)).toBe('failed')
        expect(failedChecks(result), name).toEqual(
          failedChecks(result).map(() => ['R6749-2.3.1-a', 'must']),
        )
        expect(failedChecks(result).length, name).toBeGreaterThan(0)
      }
      // RFC 6749 §5.2 wants 401 whenever the client attempted Basic: a server that never reads
      // the header breaks that rule as written, and only that one in this scenario.
      const wrong = results.get('wrong-secret')
      expect(wrong?.outcome, summary(wrong)).toBe('failed')
      expect(new Set(failedChecks(wrong).map(([id]) => id))).toEqual(new Set(['R6749-5.2-a']))
      // Basic plus complete body credentials: the server reads only the body and answers about
      // the code. A client MUST NOT send both; the server's refusal is a derived SHOULD.
      const two = results.get('two-auth-methods')
      expect(two?.outcome, summary(two)).toBe('warned')
      expect(failedChecks(two)).toEqual([['R6749-2.3-a', 'should']])
      const special = ['client-secret-basic', 'client-secret-basic-token', 'wrong-secret', 'two-auth-methods']
      for (const name of clientAuthNames.filter((n) => !special.includes(n))) {
        const result = results.get(name)
        expect(['passed', 'skipped'], summary(result)).toContain(result?.outcome)
      }
    },
  )

  it(
    'client-secret-basic is no false pass where the code is judged before the client: a wrong-secret control makes it inconclusive',
    { timeout: 120_000 },
    async () => {
      // Basic ignored and an unknown code refused first: the right secret gets invalid_grant too.
      const results = await runClientAuth(
        { faults: ['basic-ignored', 'code-checked-before-client'] },
        ['client-secret-basic', 'wrong-secret'],
      )
      const basic = results.get('client-secret-basic')
      expect(basic?.outcome, summary(basic)).toBe('inconclusive')
      expect(basic?.blocker?.step).toBe('control')
      expect(basic?.blocker?.violates).toBe('R6749-5.2-a')
      const step = basic?.steps.find((s) => s.id === 'basic')
      expect(step?.checks.filter((c) => c.ok && c.requirement) ?? []).toEqual([])
    },
  )

  it(
    'a plain OAuth server (no oidc) accepting either secret method: auth-method-enforced is skipped, as OIDC Core §9 does not apply',
    { timeout: 120_000 },
    async () => {
      const policy = { tokens: { secretMethodsInterchangeable: true } }
      expect(capabilitiesUnder(policy)).not.toContain('oidc')
      const results = await runClientAuth({ policy }, ['auth-method-enforced', 'client-secret-post'])
      const enforced = results.get('auth-method-enforced')
      expect(enforced?.outcome, summary(enforced)).toBe('skipped')
      expect(enforced?.message).toMatch(/oidc/)
      expect(results.get('client-secret-post')?.outcome).toBe('passed')
      // The same server declaring oidc is judged (and warned): the skip comes from `requires`.
      const asOidc = await runClientAuth(
        { policy, capabilities: [...capabilitiesUnder(policy), 'oidc'] },
        ['auth-method-enforced'],
      )
      const judged = asOidc.get('auth-method-enforced')
      expect(judged?.outcome, summary(judged)).toBe('warned')
      expect(failedChecks(judged)[0]).toEqual(['OIDCC-9-a', 'should'])
    },
  )
})
