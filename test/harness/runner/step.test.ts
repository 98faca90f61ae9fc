/**
 * runStep against a real loopback server that requires an initial access token: a registration
 * sent with the run's credentials and refused for them judges nothing (its expectations are not
 * even rendered), while one whose token the scenario chose stays judged
 * (harness/verdicts/credentials-refused.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { discoverTarget } from '../../../harness/config/discovery.ts'
import { SchemaRegistry } from '../../../harness/checks/schemas.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'
import type { StepDoc } from '../../../harness/model/scenario.ts'
import type { StepData } from '../../../harness/model/result.ts'
import { runStep, type StepEnvironment } from '../../../harness/runner/step.ts'
import { CREDENTIALS_REFUSED_CHECK } from '../../../harness/verdicts/credentials-refused.ts'
import { RATE_LIMITED_CHECK } from '../../../harness/verdicts/rate-limited.ts'
import { METADATA_MISSING_CHECK } from '../../../harness/verdicts/metadata-missing.ts'
import { startToyServer, TOY_IAT_CLIENT, type ToyServer } from '../../e2e/helpers/toy-server.ts'
import { actionContext } from '../actions/helpers.ts'

let toy: ToyServer
const http = createHttpClient()

beforeAll(async () => {
  toy = await startToyServer('good', { requireIat: true })
})
afterAll(async () => {
  await http.close()
  await toy.close()
})

async function targetWith(
  iat: 'none' | 'client_credentials',
  server: ToyServer = toy,
): Promise<ResolvedTarget> {
  const registration =
    iat === 'none' ? {} : { iat: { strategy: 'client_credentials' as const, ...TOY_IAT_CLIENT } }
  return discoverTarget({ name: 'toy', issuer: server.issuer, registration }, http)
}

function environment(target: ResolvedTarget): StepEnvironment {
  return {
    scope: { steps: {} as Record<string, StepData> },
    context: () => actionContext(target, http),
    schemas: SchemaRegistry.fromSchemas(new Map()),
    signal: new AbortController().signal,
    observe: () => undefined,
  }
}

/** A refusal scenario's step: its checks name a member only a registered client has. */
const refusalStep = (token?: string): StepDoc => ({
  id: 'reg',
  register: { ...(token ? { token } : {}), metadata: { redirect_uris: ['https://app.test/cb'] } },
  expect: [
    { status: 400, requirement: 'R7591-3.2.2-a' },
    { subject: '${{ steps.reg.body.client_id }}', is: { $type: 'string' } },
  ],
})

describe('runStep: the run credentials refused', () => {
  it('without a token (strategy none), a 401 is a failed precondition, nothing else', async () => {
    const result = await runStep(refusalStep(), environment(await targetWith('none')))
    expect(result.outcome).toBe('inconclusive')
    expect(result.checks.map((check) => [check.name, check.ok, check.actual])).toEqual([
      [CREDENTIALS_REFUSED_CHECK, false, 401],
    ])
    expect(result.exchanges.at(-1)?.runCredentials).toBe(true)
  })

  it("a token the scenario chose is judged: the refusal's status fails", async () => {
    const judged = await runStep(
      { ...refusalStep('made-up'), expect: { status: 400, requirement: 'R7591-3.2.2-a' } },
      environment(await targetWith('none')),
    )
    expect(judged.outcome).toBe('failed')
    expect(judged.checks.map((check) => [check.requirement, check.ok])).toEqual([
      ['R7591-3.2.2-a', false],
    ])
    expect(judged.exchanges.at(-1)?.runCredentials).toBeUndefined()
  })

  it('a member the accepted answer lacks errors the step (the scenario named it)', async () => {
    const step: StepDoc = {
      id: 'reg',
      register: { metadata: { redirect_uris: ['https://app.test/cb'] } },
      expect: { subject: '${{ steps.reg.body.no_such_member }}', is: 1, requirement: 'R-1' },
    }
    const result = await runStep(step, environment(await targetWith('client_credentials')))
    expect(result.outcome).toBe('errored')
    expect(result.message).toMatch(/^expectations: not evaluated: unresolved reference/)
  })

  it("the run's fresh IAT accepted: the step is judged on its own checks", async () => {
    const step: StepDoc = {
      id: 'reg',
      register: { metadata: { redirect_uris: ['https://app.test/cb'] } },
      expect: { status: 201, requirement: 'R7591-3.2.1-a' },
    }
    const result = await runStep(step, environment(await targetWith('client_credentials')))
    expect(result.outcome).toBe('passed')
    expect(result.checks.map((check) => check.name)).not.toContain(CREDENTIALS_REFUSED_CHECK)
    expect(result.exchanges.at(-1)?.runCredentials).toBe(true)
  })
})

describe('runStep: a request on the way rate limited', () => {
  it('a 429 from the IAT fetch makes the registration inconclusive, not errored', async () => {
    const limited = await startToyServer('good', { requireIat: true, rateLimitTokens: true })
    try {
      const target = await targetWith('client_credentials', limited)
      const result = await runStep(refusalStep(), environment(target))
      expect(result.outcome).toBe('inconclusive')
      expect(result.message).toMatch(/^E_IAT: initial access token/)
      expect(result.checks.map((check) => [check.name, check.ok, check.actual])).toEqual([
        [RATE_LIMITED_CHECK, false, 429],
      ])
      const named = /\(POST https?:\/\/127\.0\.0\.1:\d+\/oauth\/token\)/
      expect(result.checks[0]?.message).toMatch(named)
      // Nothing reached the registration endpoint: the step stopped at the token's 429.
      expect(limited.requests).not.toContain('POST /oauth/register')
      expect(result.exchanges.map((exchange) => exchange.response?.status)).toEqual([429])
    } finally {
      await limited.close()
    }
  })
})

describe("runStep: a member of the target's metadata missing", () => {
  const probe = (where: 'input' | 'expectation'): StepDoc => ({
    id: 'keys',
    http: { url: where === 'input' ? '${{ target.metadata.jwks_uri }}' : toy.issuer },
    expect: {
      subject: where === 'input' ? 1 : '${{ target.metadata.jwks_uri }}',
      is: { $type: 'string' },
      requirement: 'R-1',
    },
  })

  it.each(['input', 'expectation'] as const)(
    'named in the step %s: inconclusive on that precondition, not errored',
    async (where) => {
      const target = await targetWith('none')
      const env = environment(target)
      env.scope['target'] = { metadata: target.metadata }
      const result = await runStep(probe(where), env)
      expect(result.outcome).toBe('inconclusive')
      expect(result.checks.map((check) => [check.name, check.ok, check.message])).toEqual([
        [METADATA_MISSING_CHECK, false, expect.stringMatching(/^no jwks_uri in it/)],
      ])
    },
  )
})

describe('runStep: an earlier answer lacks what the action needs', () => {
  it('a client without the secret its auth method needs: inconclusive, nothing sent', async () => {
    const target = await targetWith('none')
    const sent = toy.requests.length
    const step: StepDoc = {
      id: 'redeem',
      token: {
        grant_type: 'authorization_code',
        client: { client_id: 'public-after-all' },
        auth_method: 'client_secret_basic',
        code: 'made-up',
      },
      expect: { status: 400, requirement: 'R-1' },
    }
    const result = await runStep(step, environment(target))
    expect(result.outcome).toBe('inconclusive')
    expect(result.checks.map((check) => [check.name, check.ok, check.requirement])).toEqual([
      ['the client has the client_secret that client_secret_basic needs', false, undefined],
    ])
    expect(toy.requests.length).toBe(sent)
  })
})
