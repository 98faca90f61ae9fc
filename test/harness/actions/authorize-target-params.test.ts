import { describe, expect, it } from 'vitest'
import type { ActionContext } from '../../../harness/actions/action.ts'
import { buildAuthorizationRequest } from '../../../harness/actions/authorize.ts'
import type { ResolvedTarget } from '../../../harness/types.ts'

const target: ResolvedTarget = {
  name: 't',
  issuer: 'https://as.test',
  metadata: {},
  endpoints: { authorization_endpoint: 'https://as.test/authorize' },
  capabilities: [],
  authorization: { params: { prompt: 'consent', access_type: 'offline' } },
}

const context = {
  target,
  callbackUrl: 'http://127.0.0.1:1/callback/s',
  scenarioId: 's',
  artifactsDir: '/tmp',
  signal: new AbortController().signal,
  notice: () => {},
} as unknown as ActionContext

describe("the target's own authorization parameters (targets.yaml authorization.params)", () => {
  it('go with every authorization request; the scenario overrides or removes them', () => {
    const plain = new URL(buildAuthorizationRequest({ client: { client_id: 'c' } }, context).url)
    expect(plain.searchParams.get('prompt')).toBe('consent')
    expect(plain.searchParams.get('access_type')).toBe('offline')
    const overridden = new URL(
      buildAuthorizationRequest(
        { client: { client_id: 'c' }, params: { prompt: 'login', access_type: null } },
        context,
      ).url,
    )
    expect(overridden.searchParams.get('prompt')).toBe('login')
    expect(overridden.searchParams.has('access_type')).toBe(false)
  })
})
