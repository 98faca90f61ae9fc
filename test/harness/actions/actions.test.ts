import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { discoverTarget } from '../../../harness/config/discovery.ts'
import { registerAction } from '../../../harness/actions/register.ts'
import { tokenAction } from '../../../harness/actions/token.ts'
import { httpAction } from '../../../harness/actions/http.ts'
import { useAction } from '../../../harness/actions/use.ts'
import { exchangesOf } from '../../../harness/actions/prepared.ts'
import { actionFor } from '../../../harness/actions/registry.ts'
import { fixtureNames } from '../../../harness/actions/fixtures/index.ts'
import type { ResolvedTarget } from '../../../harness/model/target.ts'
import { startToyServer, TOY_IAT_CLIENT, type ToyServer } from '../../e2e/helpers/toy-server.ts'
import { actionContext } from './helpers.ts'

let toy: ToyServer
let target: ResolvedTarget
const http = createHttpClient()

beforeAll(async () => {
  toy = await startToyServer('good', { requireIat: true })
  target = await discoverTarget(
    {
      name: 'toy',
      issuer: toy.issuer,
      registration: { iat: { strategy: 'client_credentials', ...TOY_IAT_CLIENT } },
      capabilities: ['rfc7592'],
    },
    http,
  )
})
afterAll(async () => {
  await http.close()
  await toy.close()
})

describe('register', () => {
  it('token auto obtains a fresh IAT, returns body members at top level and tracks the client', async () => {
    const context = actionContext(target, http)
    const result = await registerAction.execute(
      { metadata: { redirect_uris: ['https://app.test/cb'] } },
      context,
    )
    expect(result.data.status).toBe(201)
    expect(result.data['client_id']).toEqual((result.data.body as { client_id: string }).client_id)
    expect(result.data.headers?.['content-type']).toBe('application/json')
    expect(result.exchanges.map((e) => e.request.url)).toEqual([
      target.endpoints['token_endpoint'],
      target.endpoints['registration_endpoint'],
    ])
    const sent = result.exchanges[1]!.request
    expect(sent.headers['accept']).toBe('application/json')
    expect(sent.headers['content-type']).toBe('application/json')
    expect(sent.headers['authorization']).toMatch(/^Bearer iat-/)
    expect(result.exchanges.map((e) => e.runCredentials)).toEqual([undefined, true])
    expect(JSON.parse(sent.body!)).toEqual({ redirect_uris: ['https://app.test/cb'] })
    expect(context.tracked).toEqual([
      {
        client_id: result.data['client_id'],
        registration_client_uri: result.data['registration_client_uri'],
        registration_access_token: result.data['registration_access_token'],
      },
    ])
  })

  it('token none sends no Authorization header; an explicit token is sent as is', async () => {
    const context = actionContext(target, http)
    const none = await registerAction.execute({ token: 'none', metadata: {} }, context)
    expect(none.data.status).toBe(401)
    expect(none.exchanges[0]!.request.headers['authorization']).toBeUndefined()
    const explicit = await registerAction.execute({ token: 'made-up', metadata: {} }, context)
    expect(explicit.exchanges[0]!.request.headers['authorization']).toBe('Bearer made-up')
    // Tokens the scenario chose are not the run's credentials (verdicts/credentials-refused.ts).
    expect([...none.exchanges, ...explicit.exchanges].map((e) => e.runCredentials)).toEqual([
      undefined,
      undefined,
    ])
    expect(context.tracked).toEqual([])
  })

  it('raw_body, content_type and headers replace the defaults; track: false keeps the ledger out', async () => {
    const context = actionContext(target, http)
    const result = await registerAction.execute(
      {
        raw_body: '{"redirect_uris":["https://a.test/cb"]}',
        content_type: 'application/json; charset=utf-8',
        headers: { 'X-Extra': '1' },
        track: false,
      },
      context,
    )
    expect(result.data.status).toBe(201)
    const sent = result.exchanges.at(-1)!.request
    expect(sent.body).toBe('{"redirect_uris":["https://a.test/cb"]}')
    expect(sent.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(sent.headers['x-extra']).toBe('1')
    expect(context.tracked).toEqual([])
  })
})

describe('token', () => {
  it('purpose initial-access-token gives the token response with members at top level', async () => {
    const result = await tokenAction.execute(
      { purpose: 'initial-access-token' },
      actionContext(target, http),
    )
    expect(result.data.status).toBe(200)
    expect(result.data['access_token']).toMatch(/^iat-/)
    expect(result.data['scope']).toBe('dcr')
  })

  it('a refused IAT request errors with its exchange', async () => {
    const refused: ResolvedTarget = {
      ...target,
      registration: {
        iat: { strategy: 'client_credentials', client_id: 'iat-client', client_secret: 'wrong' },
      },
    }
    const error = await tokenAction
      .execute({ purpose: 'initial-access-token' }, actionContext(refused, http))
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ code: 'E_IAT', message: /answered 401/ })
    expect(exchangesOf(error).map((e) => e.response?.status)).toEqual([401])
    const viaRegister = await registerAction
      .execute({ metadata: {} }, actionContext(refused, http))
      .catch((e: unknown) => e)
    expect(viaRegister).toMatchObject({ code: 'E_IAT' })
    expect(exchangesOf(viaRegister).map((e) => e.response?.status)).toEqual([401])
  })

  it('sends grants with the client auth method and params (null removes one)', async () => {
    const context = actionContext(target, http)
    const result = await tokenAction.execute(
      {
        grant_type: 'authorization_code',
        client: {
          client_id: 'iat-client',
          client_secret: 'x',
          token_endpoint_auth_method: 'client_secret_post',
        },
        code: 'the-code',
        redirect_uri: 'https://app.test/cb',
        code_verifier: 'v'.repeat(43),
        params: { resource: 'https://api.test', redirect_uri: null },
      },
      context,
    )
    const form = new URLSearchParams(result.exchanges[0]!.request.body)
    expect(Object.fromEntries(form)).toEqual({
      grant_type: 'authorization_code',
      code: 'the-code',
      code_verifier: 'v'.repeat(43),
      client_id: 'iat-client',
      client_secret: 'x',
      resource: 'https://api.test',
    })
    expect(result.data.status).toBe(401)
  })
})

describe('http', () => {
  it('adds query parameters, form bodies, basic auth; does not follow redirects', async () => {
    const result = await httpAction.execute(
      {
        url: `${toy.origin}/nowhere?a=1`,
        query: { b: 'x y' },
        form: { k: 'v&w' },
        auth: { basic: ['u', 'p:w'] },
      },
      actionContext(target, http),
    )
    const sent = result.exchanges[0]!.request
    expect(sent.method).toBe('POST')
    expect(sent.url).toBe(`${toy.origin}/nowhere?a=1&b=x+y`)
    expect(sent.body).toBe('k=v%26w')
    expect(sent.headers['authorization']).toBe(`Basic ${Buffer.from('u:p%3Aw').toString('base64')}`)
    expect(result.data).toEqual({
      status: 404,
      headers: expect.any(Object),
      body: { error: 'not_found' },
      url: sent.url,
    })
  })

  it('repeats a form parameter given as an array, each value encoded (RFC 8707 §2)', async () => {
    const result = await httpAction.execute(
      {
        url: `${toy.origin}/nowhere`,
        form: { code: 'a+b/c=', resource: ['https://r.test/mcp?x=1', 'https://r.test/other'] },
      },
      actionContext(target, http),
    )
    const body = result.exchanges[0]!.request.body ?? ''
    expect(new URLSearchParams(body).getAll('resource')).toEqual([
      'https://r.test/mcp?x=1',
      'https://r.test/other',
    ])
    expect(new URLSearchParams(body).get('code')).toBe('a+b/c=')
  })
})

describe('use and the registry', () => {
  it('an unknown fixture is an E_FIXTURE error naming the known ones', async () => {
    await expect(
      useAction.execute({ fixture: 'no-such-fixture' }, actionContext(target, http)),
    ).rejects.toMatchObject({
      code: 'E_FIXTURE',
      message: /unknown fixture 'no-such-fixture'/,
    })
    await expect(
      useAction.execute({ fixture: '../registry' }, actionContext(target, http)),
    ).rejects.toMatchObject({ code: 'E_FIXTURE' })
  })

  it('lists fixture files and runs a fixture by name', async () => {
    const names = fixtureNames()
    expect(names).not.toContain('index')
    expect(names).not.toContain('fixture')
    expect(names).toContain('decode-jwt')
    const jwt = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"me"}').toString('base64url')}.`
    const result = await useAction.execute(
      { fixture: 'decode-jwt', with: { jwt } },
      actionContext(target, http),
    )
    expect(result.data.body).toEqual({ header: { alg: 'none' }, payload: { sub: 'me' } })
  })

  it('maps every action name', async () => {
    for (const name of ['token', 'register', 'http', 'parallel', 'use'] as const)
      expect((await actionFor(name)).name).toBe(name)
  })
})

describe('hostile answers', () => {
  it('a 2xx registration answer that is not JSON errors with the exchange attached', async () => {
    const html = await startToyServer('html')
    try {
      const hostile = await discoverTarget({ name: 'html', issuer: html.issuer }, http)
      const error = await registerAction
        .execute({ token: 'none', metadata: {} }, actionContext(hostile, http))
        .catch((e: unknown) => e)
      expect(error).toMatchObject({
        code: 'E_HTTP',
        message: /answered 200 with a body that is not JSON \(text\/html\)/,
      })
      expect(exchangesOf(error)).toHaveLength(1)
      expect(exchangesOf(error)[0]!.response?.status).toBe(200)
    } finally {
      await html.close()
    }
  })
})
