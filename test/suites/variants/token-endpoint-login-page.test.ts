/**
 * code-flow/ and personas/ on conformant servers whose token endpoint or login page differ from
 * the reference server's defaults: no client_credentials grant at all (RFC 6749 §5.2
 * unsupported_grant_type), approval without any login page, redirect URIs refused with the less
 * specific invalid_client_metadata, refresh tokens issued only for offline_access. Such a server
 * must pass, be skipped, warn on a SHOULD or be inconclusive where the scenario cannot start,
 * never fail; and an ID token with a wrong aud fails that check only, not the signature one.
 */
import { describe, expect, it } from 'vitest'
import { failedChecks, failures, run, summary } from './support.ts'

describe('code-flow, personas: token-endpoint and login-page variants', { timeout: 120_000 }, () => {
  it('a server without the client_credentials grant at all answers unsupported_grant_type (RFC 6749 §5.2) and passes', async () => {
    const grants = ['authorization_code', 'refresh_token']
    const policy = {
      registration: { authentication: 'none', allowedGrantTypes: grants },
      tokens: { grantTypes: grants },
    }
    const results = await run({ policy, ids: ['code-flow/grant-type-enforced'] })
    const result = results.get('code-flow/grant-type-enforced')
    expect(result?.outcome, summary(result)).toBe('passed')
    const answer = result?.steps.find((step) => step.id === 'client-credentials')
    expect(answer?.checks.every((c) => c.ok)).toBe(true)
  })

  it('a server that approves without any page: the login-page checks are not applicable, not failed', async () => {
    const policy = { authorize: { approveWithoutPage: 'alice' } }
    const ids = [
      'personas/chatgpt',
      'personas/claude-code',
      'personas/codex',
      'personas/cursor',
      'personas/mcp-resource-charset',
      'personas/vscode',
    ]
    const results = await run({ policy, ids })
    for (const id of ids) {
      const result = results.get(id)
      expect(['passed', 'skipped'], summary(result)).toContain(result?.outcome)
    }
    const start = results.get('personas/chatgpt')?.steps.find((step) => step.id === 'start')
    const page = start?.checks.find((c) => c.name.startsWith('the login page loads'))
    expect(page?.notApplicable).toBe('status is absent')
    // The redirect carried a code, and that check did apply.
    expect(start?.checks.some((c) => c.ok && c.notApplicable === undefined)).toBe(true)
  })

  it('a server refusing a redirect URI with invalid_client_metadata (a defined RFC 7591 code): personas never fail', async () => {
    const policy = { registration: { redirectUriErrorCode: 'invalid_client_metadata' } }
    const results = await run({ policy, ids: ['personas/cursor', 'personas/vscode'] })
    const cursor = results.get('personas/cursor')
    // Refused with the less specific defined code: a warning (R7591-3.2.2-b), not a failure.
    expect(cursor?.outcome, summary(cursor)).toBe('warned')
    expect(failures(cursor)).toEqual([['R7591-3.2.2-b', 'should']])
    const vscode = results.get('personas/vscode')
    expect(['passed', 'skipped'], summary(vscode)).toContain(vscode?.outcome)
  })

  const refreshScenarios = [
    'code-flow/refresh-bound-to-client',
    'code-flow/refresh-rotation-public-client',
    'code-flow/refresh-scope-widening',
  ]

  it('a server issuing refresh tokens only for offline_access: inconclusive without that scope, passed with it', { timeout: 180_000 }, async () => {
    const policy = { tokens: { refreshTokenScope: 'offline_access' } }
    const without = await run({ policy, ids: refreshScenarios })
    for (const id of refreshScenarios) {
      const result = without.get(id)
      expect(result?.outcome, summary(result)).toBe('inconclusive')
      expect(result?.blocker?.step, id).toBe('redeem')
    }
    // targets.yaml `scope: openid offline_access` makes the server issue them.
    const withScope = await run({ policy, target: { scope: 'openid offline_access' }, ids: refreshScenarios })
    for (const id of refreshScenarios) {
      const result = withScope.get(id)
      expect(result?.outcome, summary(result)).toBe('passed')
    }
  })

  it('an ID token with a wrong aud fails the aud check (OIDCC-2-a), never the signature (OIDCC-10.1-b)', async () => {
    const results = await run({
      faults: ['id-token-aud-wrong'],
      ids: ['code-flow/id-token-signature', 'code-flow/id-token-claims'],
    })
    const signature = results.get('code-flow/id-token-signature')
    expect(signature?.outcome, summary(signature)).toBe('passed')
    const claims = results.get('code-flow/id-token-claims')
    expect(claims?.outcome).toBe('failed')
    const failed = failedChecks(claims)
    expect(failed.map((c) => [c.requirement, c.name])).toEqual([
      ['OIDCC-2-a', 'aud contains the client_id'],
    ])
    expect(failed[0]!.actual).toMatch(/does not contain/)
  })
})
