import { describe, expect, it } from 'vitest'
import { basicAuthorization } from '../../../harness/http/client-auth.ts'
import { accessTokenOf, buildTokenRequest } from '../../../harness/http/token-request.ts'
import type { HttpResponse } from '../../../harness/http/types.ts'

const endpoint = 'https://as.example/token'

function formOf(body: string | undefined): [string, string][] {
  return [...new URLSearchParams(String(body)).entries()]
}

function answer(status: number, body: unknown): HttpResponse {
  return { status, headers: {}, body, text: JSON.stringify(body) }
}

describe('buildTokenRequest', () => {
  it('POSTs the grant form, client_secret_basic by default (RFC 6749 §2.3.1, §3.2)', async () => {
    const request = await buildTokenRequest({
      endpoint,
      params: { grant_type: 'client_credentials', scope: 'dcr', unused: undefined },
      client: { client_id: 'c1', client_secret: 's1' },
    })
    expect(request.method).toBe('POST')
    expect(request.url).toBe(endpoint)
    expect(request.headers).toEqual({
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      authorization: basicAuthorization('c1', 's1'),
    })
    expect(formOf(request.body)).toEqual([
      ['grant_type', 'client_credentials'],
      ['scope', 'dcr'],
    ])
  })

  it('puts the auth parameters after the grant, and overrides replace or remove any', async () => {
    const request = await buildTokenRequest({
      endpoint,
      params: { grant_type: 'authorization_code', code: 'abc', scope: 'openid' },
      client: { client_id: 'c1', client_secret: 's1' },
      authMethod: 'client_secret_post',
      overrides: { client_secret: undefined, code: 'other', extra: 'x' },
    })
    expect(request.headers?.['authorization']).toBeUndefined()
    expect(formOf(request.body)).toEqual([
      ['grant_type', 'authorization_code'],
      ['code', 'other'],
      ['scope', 'openid'],
      ['client_id', 'c1'],
      ['extra', 'x'],
    ])
  })

  it('method none sends only the client_id', async () => {
    const request = await buildTokenRequest({
      endpoint,
      params: { grant_type: 'refresh_token', refresh_token: 'r' },
      client: { client_id: 'public' },
      authMethod: 'none',
    })
    expect(formOf(request.body)).toEqual([
      ['grant_type', 'refresh_token'],
      ['refresh_token', 'r'],
      ['client_id', 'public'],
    ])
  })
})

describe('accessTokenOf', () => {
  it('is the access_token of a 200 JSON object only (RFC 6749 §5.1)', () => {
    expect(accessTokenOf(answer(200, { access_token: 't', token_type: 'Bearer' }))).toBe('t')
    expect(accessTokenOf(answer(201, { access_token: 't' }))).toBeUndefined()
    expect(accessTokenOf(answer(200, { access_token: 7 }))).toBeUndefined()
    expect(accessTokenOf(answer(200, 'access_token=t'))).toBeUndefined()
    expect(accessTokenOf(answer(200, null))).toBeUndefined()
  })
})
