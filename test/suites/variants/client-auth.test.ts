/**
 * code-flow/ client authentication on a token endpoint that never reads HTTP Basic (the MCP SDK's)
 * and on plain OAuth servers. Only the scenarios about HTTP Basic may object, each on the rule the
 * server really breaks (R6749-2.3.1-a, R6749-5.2-a; R6749-2.3-a only warns), because the set-up
 * clients register target.auth_method; a wrong-secret control keeps client-secret-basic from a
 * false pass; and OIDC Core §9 is not applied to a server that is no OpenID Provider.
 */
import { describe, expect, it } from 'vitest'
import { capabilitiesUnder } from '../policies.ts'
import { citedFailures, run, summary } from './support.ts'
import type { RunOptions } from './support.ts'

/** Runs code-flow scenario names on a reference server with a policy, faults or capabilities; all must run. */
const runClientAuth = (options: RunOptions, names: string[]) =>
  run({ ...options, folder: 'code-flow', names, workers: 4, ran: 'all' })

describe('code-flow client authentication: a token endpoint that never reads HTTP Basic (MCP SDK), and plain OAuth servers', { timeout: 120_000 }, () => {
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

  it('under basic-ignored only the Basic scenarios object, and only on R6749-2.3.1-a (R6749-2.3-a warns): set-up clients register target.auth_method', { timeout: 300_000 }, async () => {
    const results = await runClientAuth({ faults: ['basic-ignored'] }, clientAuthNames)
    for (const name of ['client-secret-basic', 'client-secret-basic-token']) {
      const result = results.get(name)
      expect(result?.outcome, summary(result)).toBe('failed')
      expect(citedFailures(result), name).toEqual(
        citedFailures(result).map(() => ['R6749-2.3.1-a', 'must']),
      )
      expect(citedFailures(result).length, name).toBeGreaterThan(0)
    }
    // RFC 6749 §5.2 wants 401 whenever the client attempted Basic: a server that never reads
    // the header breaks that rule as written, and only that one in this scenario.
    const wrong = results.get('wrong-secret')
    expect(wrong?.outcome, summary(wrong)).toBe('failed')
    expect(new Set(citedFailures(wrong).map(([id]) => id))).toEqual(new Set(['R6749-5.2-a']))
    // Basic plus complete body credentials: the server reads only the body and answers about
    // the code. A client MUST NOT send both; the server's refusal is a derived SHOULD.
    const two = results.get('two-auth-methods')
    expect(two?.outcome, summary(two)).toBe('warned')
    expect(citedFailures(two)).toEqual([['R6749-2.3-a', 'should']])
    const special = ['client-secret-basic', 'client-secret-basic-token', 'wrong-secret', 'two-auth-methods']
    for (const name of clientAuthNames.filter((n) => !special.includes(n))) {
      const result = results.get(name)
      expect(['passed', 'skipped'], summary(result)).toContain(result?.outcome)
    }
  })

  it('a server judging the code before the client (allowed) fails nothing: wrong-secret is inconclusive', async () => {
    const results = await runClientAuth({ policy: { tokens: { codeCheckedBeforeClient: true } } }, [
      'wrong-secret',
      'client-secret-basic',
    ])
    // RFC 6749 §4.1.3 orders neither check: invalid_grant for a made-up code and a wrong secret
    // says nothing about the client, so neither scenario can judge the client with it.
    const wrong = results.get('wrong-secret')
    expect(wrong?.outcome, summary(wrong)).toBe('inconclusive')
    expect(wrong?.blocker?.violates).toBeUndefined()
    const basic = results.get('client-secret-basic')
    expect(basic?.outcome, summary(basic)).toBe('inconclusive')
    expect(basic?.blocker?.step).toBe('control')
    expect(basic?.blocker?.violates).toBeUndefined()
    // No false pass: the right secret's invalid_grant proves nothing about Basic here.
    const step = basic?.steps.find((s) => s.id === 'basic')
    expect(step?.checks.filter((c) => c.ok && c.requirement) ?? []).toEqual([])
  })

  it('a secret sent with a made-up code is not judged where the code is judged first (RFC 6749 §4.1.3): its steps do not apply', async () => {
    const secretSteps = {
      'client-management/delete-kills-credentials': ['token'],
      'client-management/update-client-secret': ['chosen-secret', 'current-secret'],
      'client-management/rotated-credentials-work': ['returned-secret'],
    }
    const ids = Object.keys(secretSteps)
    // rotated-secret-not-saved: the returned secret does not work; only a judged secret shows it.
    for (const faults of [[], ['rotated-secret-not-saved']]) {
      const results = await run({ policy: { tokens: { codeCheckedBeforeClient: true } }, faults, ids, ran: 'all' })
      for (const [id, steps] of Object.entries(secretSteps)) {
        const result = results.get(id)
        expect(result?.outcome, summary(result)).toBe('passed')
        for (const step of steps) expect(result?.steps.find((s) => s.id === step)?.outcome, `${id} ${step}`).toBe('skipped')
      }
    }
  })

  it('a plain OAuth server (no oidc) accepting either secret method: auth-method-enforced is skipped, as OIDC Core §9 does not apply', async () => {
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
    expect(citedFailures(judged)[0]).toEqual(['OIDCC-9-a', 'should'])
  })
})
