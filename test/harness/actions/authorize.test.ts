import { createHash } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ActionContext } from '../../../harness/actions/action.ts'
import { buildAuthorizationRequest, pageShown } from '../../../harness/actions/authorize.ts'
import { fixture as verifyIdToken } from '../../../harness/actions/fixtures/verify-id-token.ts'
import { HarnessError } from '../../../harness/errors.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'
import { startReferenceFlow, type ReferenceFlow } from '../browser/support/reference-flow.ts'

const target: ResolvedTarget = {
  name: 't',
  issuer: 'https://as.test',
  metadata: {},
  endpoints: { authorization_endpoint: 'https://as.test/authorize?tenant=a' },
  capabilities: [],
}

function contextWith(overrides: Partial<ActionContext> = {}): ActionContext {
  return {
    target,
    callbackUrl: 'http://127.0.0.1:1/callback/s',
    scenarioId: 's',
    artifactsDir: '/tmp',
    signal: new AbortController().signal,
    notice: () => {},
    ...overrides,
  } as ActionContext
}

describe('the page the server showed (data `page`)', () => {
  const redirectUri = 'http://127.0.0.1:9/callback/s'
  const hop = (url: string, status: number, headers: Record<string, string> = {}) => ({
    request: { method: 'GET', url, headers: {} },
    response: { status, headers },
    durationMs: 1,
  })

  it('is the first response that is neither a redirect nor the redirect URI', () => {
    const page = pageShown(
      [
        hop('https://as.test/authorize?x=1', 302, { location: '/login' }),
        hop('https://as.test/login', 200, { 'X-Frame-Options': 'DENY' }),
        hop('https://as.test/login', 303, { location: redirectUri }),
        hop(`${redirectUri}?code=c`, 200),
      ],
      redirectUri,
    )
    expect(page).toEqual({
      url: 'https://as.test/login',
      status: 200,
      headers: { 'x-frame-options': 'DENY' },
    })
  })

  it('is absent when the server approved without any page (straight to the redirect URI)', () => {
    const exchanges = [
      hop('https://as.test/authorize?x=1', 302, { location: `${redirectUri}?code=c` }),
      hop(`${redirectUri}?code=c`, 200),
    ]
    expect(pageShown(exchanges, redirectUri)).toBeUndefined()
    expect(pageShown([], redirectUri)).toBeUndefined()
  })

  it('is an error page too (status 400, 200, or after a redirect to the server\'s own page)', () => {
    expect(pageShown([hop('https://as.test/authorize', 400)], redirectUri)?.status).toBe(400)
    const own = pageShown(
      [hop('https://as.test/authorize', 302, { location: '/error' }), hop('https://as.test/error', 200)],
      redirectUri,
    )
    expect(own?.url).toBe('https://as.test/error')
  })
})

describe('authorization request', () => {
  const client = {
    client_id: 'c-1',
    redirect_uris: ['https://client.test/cb', 'https://client.test/2'],
  }

  it('defaults: code, first registered redirect URI, scope openid, fresh state/nonce/S256 pair', () => {
    const first = buildAuthorizationRequest({ client }, contextWith())
    const second = buildAuthorizationRequest({ client }, contextWith())
    const params = new URL(first.url).searchParams
    expect(first.url.startsWith('https://as.test/authorize?tenant=a&')).toBe(true)
    expect(params.get('response_type')).toBe('code')
    expect(params.get('client_id')).toBe('c-1')
    expect(params.get('redirect_uri')).toBe('https://client.test/cb')
    expect(params.get('scope')).toBe('openid')
    for (const value of [first.state, first.nonce, first.code_verifier])
      expect(value).toMatch(/^[\w-]{43}$/)
    expect(params.get('state')).toBe(first.state)
    expect(params.get('nonce')).toBe(first.nonce)
    expect(first.state).not.toBe(second.state)
    expect(first.nonce).not.toBe(second.nonce)
    expect(first.code_verifier).not.toBe(second.code_verifier)
    const challenge = createHash('sha256')
      .update(first.code_verifier ?? '')
      .digest('base64url')
    expect(params.get('code_challenge')).toBe(challenge)
    expect(params.get('code_challenge_method')).toBe('S256')
  })

  it('falls back to the callback URL and the target scope', () => {
    const built = buildAuthorizationRequest(
      { client: { client_id: 'c' } },
      contextWith({ target: { ...target, scope: 'openid dcr' } }),
    )
    expect(built.redirect_uri).toBe('http://127.0.0.1:1/callback/s')
    expect(new URL(built.url).searchParams.get('scope')).toBe('openid dcr')
  })

  it('omits state and nonce given as null, PKCE when false; supports plain, prompt and params', () => {
    const bare = buildAuthorizationRequest(
      { client, state: null, nonce: null, pkce: false },
      contextWith(),
    )
    const params = new URL(bare.url).searchParams
    expect([params.has('state'), params.has('nonce'), params.has('code_challenge')]).toEqual([
      false,
      false,
      false,
    ])
    expect(bare).toMatchObject({
      state: null,
      nonce: null,
      code_verifier: null,
      code_challenge: null,
    })

    const plain = buildAuthorizationRequest(
      {
        client,
        state: 'given',
        pkce: { method: 'plain', verifier: 'v'.repeat(43) },
        prompt: 'login',
        response_type: 'code id_token',
        params: { response_mode: 'fragment', client_id: 'other', tenant: null },
      },
      contextWith(),
    )
    const query = new URL(plain.url).searchParams
    expect(query.get('state')).toBe('given')
    expect(query.get('code_challenge')).toBe('v'.repeat(43))
    expect(query.get('code_challenge_method')).toBe('plain')
    expect(query.get('prompt')).toBe('login')
    expect(query.get('response_type')).toBe('code id_token')
    expect(query.get('response_mode')).toBe('fragment')
    expect(query.get('client_id')).toBe('other')
    expect(query.has('tenant')).toBe(false)
  })

  it('repeats a parameter given as a list, in order, in place of any value before it (RFC 8707 §2)', () => {
    const built = buildAuthorizationRequest(
      { client, params: { resource: ['https://a.test/mcp', 'https://b.test/mcp'], scope: ['x'] } },
      contextWith({ target: { ...target, authorization: { params: { resource: 'https://old.test' } } } }),
    )
    const query = new URL(built.url).searchParams
    expect(query.getAll('resource')).toEqual(['https://a.test/mcp', 'https://b.test/mcp'])
    expect(query.getAll('scope')).toEqual(['x'])
  })

  it('sends a value a template resolved to a number as its text', () => {
    const params = { max_age: 0 } as unknown as Record<string, string>
    const built = buildAuthorizationRequest({ client, params }, contextWith())
    expect(new URL(built.url).searchParams.getAll('max_age')).toEqual(['0'])
  })

  it('refuses a target without an authorization endpoint', () => {
    const context = contextWith({ target: { ...target, endpoints: {} } })
    expect(() => buildAuthorizationRequest({ client }, context)).toThrow(HarnessError)
  })
})

describe.each(['browser', 'http'] as const)(
  'seed walk-through on the reference server (%s driver)',
  (driver) => {
    let flow: ReferenceFlow
    beforeAll(async () => {
      flow = await startReferenceFlow({ driver })
    })
    afterAll(async () => {
      await flow?.close()
    })

    it('IAT -> register -> authorize with login -> token with the secret -> verified ID token', async () => {
      const scenario = `walk-through/${driver}`
      const client = await flow.register(scenario)
      expect(client.client_secret).toEqual(expect.any(String))
      const auth = await flow.authorize(scenario, { client })
      expect(auth).toMatchObject({
        redirected: true,
        driver,
        redirect_uri: flow.services.callbackUrlFor(scenario),
      })
      const query = auth.query as Record<string, string>
      expect(query.state).toBe(auth.state)
      expect(query.iss).toBe(flow.target.issuer)
      expect(query.code).toEqual(expect.any(String))
      expect(
        String(auth.request_url).startsWith(flow.target.endpoints.authorization_endpoint ?? '-'),
      ).toBe(true)

      const token = await flow.redeem(scenario, client, auth)
      expect(token.status).toBe(200)
      const body = token.body as { id_token: string; access_token: string }
      const verified = await verifyIdToken.execute(
        {
          id_token: body.id_token,
          client,
          nonce: auth.nonce,
          access_token: body.access_token,
          code: query.code,
        },
        flow.context(scenario),
      )
      expect(verified.data.body).toMatchObject({
        valid: true,
        checks: {
          signature: true,
          alg: true,
          iss: true,
          aud: true,
          azp: true,
          exp: true,
          iat: true,
          nonce: true,
        },
        errors: [],
      })
      expect(flow.notices).toEqual([])
    })
  },
)

describe('reference-server faults seen through the authorize action (HTTP driver)', () => {
  it('code-reusable: a second redemption of the same code succeeds', async () => {
    for (const faults of [[], ['code-reusable']]) {
      const flow = await startReferenceFlow({ driver: 'http', faults })
      try {
        const client = await flow.register('faults/code')
        const auth = await flow.authorize('faults/code', { client })
        expect((await flow.redeem('faults/code', client, auth)).status).toBe(200)
        const again = await flow.redeem('faults/code', client, auth)
        expect(again.status).toBe(faults.length === 0 ? 400 : 200)
      } finally {
        await flow.close()
      }
    }
  })

  it('pkce-ignored: a wrong code_verifier is accepted', async () => {
    for (const faults of [[], ['pkce-ignored']]) {
      const flow = await startReferenceFlow({ driver: 'http', faults })
      try {
        const client = await flow.register('faults/pkce')
        const auth = await flow.authorize('faults/pkce', { client })
        const wrong = await flow.redeem('faults/pkce', client, auth, 'x'.repeat(43))
        expect(wrong.status).toBe(faults.length === 0 ? 400 : 200)
      } finally {
        await flow.close()
      }
    }
  })
})

describe("the target's own authorization parameters (targets.yaml authorization.params)", () => {
  it('go with every authorization request; the scenario overrides or removes them', () => {
    const withParams = contextWith({
      target: { ...target, authorization: { params: { prompt: 'consent', access_type: 'offline' } } },
    })
    const plain = new URL(buildAuthorizationRequest({ client: { client_id: 'c' } }, withParams).url)
    expect(plain.searchParams.get('prompt')).toBe('consent')
    expect(plain.searchParams.get('access_type')).toBe('offline')
    const overridden = new URL(
      buildAuthorizationRequest(
        { client: { client_id: 'c' }, params: { prompt: 'login', access_type: null } },
        withParams,
      ).url,
    )
    expect(overridden.searchParams.get('prompt')).toBe('login')
    expect(overridden.searchParams.has('access_type')).toBe(false)
  })
})

describe('where a browser may be sent', () => {
  it('refuses a file: or link-local authorization endpoint before any browser opens it', () => {
    const at = (endpoint: string) =>
      contextWith({ target: { ...target, endpoints: { authorization_endpoint: endpoint } } })
    expect(() => buildAuthorizationRequest({ client: { client_id: 'c' } }, at('file:///etc/passwd'))).toThrow(
      /refused to open file: authorization_endpoint/,
    )
    expect(() =>
      buildAuthorizationRequest({ client: { client_id: 'c' } }, at('http://169.254.169.254/authorize')),
    ).toThrow(/link-local or cloud metadata address/)
  })
})
