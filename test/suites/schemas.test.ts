/** The response schemas of fixtures/schemas/ accept what the RFCs allow and refuse the defects. */
import { describe, expect, it } from 'vitest'
import { SchemaRegistry } from '../../harness/checks/schemas.ts'

const schemas = await SchemaRegistry.load()

function errors(name: string, value: unknown): string[] {
  return schemas.validate(name, value).map((mismatch) => mismatch.message)
}

const registration = {
  client_id: 's6BhdRkqt3',
  client_secret: 'cf136dc3c1fc93f31185e5885805d',
  client_id_issued_at: 1_764_300_000,
  client_secret_expires_at: 0,
  registration_access_token: 'this.is.an.access.token.value.ffx83',
  registration_client_uri: 'https://server.example.com/connect/register?client_id=s6BhdRkqt3',
  redirect_uris: ['https://client.example.org/callback'],
  grant_types: ['authorization_code'],
  token_endpoint_auth_method: 'client_secret_basic',
  scope: 'openid profile',
}

describe('fixtures/schemas', () => {
  it('has every schema the suites and the brief name', () => {
    expect(schemas.names()).toEqual(
      expect.arrayContaining([
        'client-read-response',
        'error-response',
        'id-token-claims',
        'jwks',
        'oauth-authorization-server',
        'openid-configuration',
        'registration-response',
        'token-error',
        'token-response',
        'userinfo',
      ]),
    )
  })

  it('registration-response: accepts RFC 7591 §3.2.1 responses, refuses the known defects', () => {
    expect(errors('registration-response', registration)).toEqual([])
    expect(
      errors('registration-response', {
        client_id: 'public-client',
        token_endpoint_auth_method: 'none',
      }),
    ).toEqual([])
    const { client_secret_expires_at: _, ...noExpiry } = registration
    expect(errors('registration-response', noExpiry).join()).toMatch(/client_secret_expires_at/)
    expect(
      errors('registration-response', { ...registration, client_secret_expires_at: '0' }).join(),
    ).toMatch(/integer/)
    expect(
      errors('registration-response', {
        ...registration,
        client_secret_expires_at: Date.now(),
      }).join(),
    ).toMatch(/100000000000/)
    expect(
      errors('registration-response', { ...registration, client_id_issued_at: 1.5 }),
    ).not.toEqual([])
    expect(errors('registration-response', { ...registration, client_id: 42 })).not.toEqual([])
    expect(errors('registration-response', { ...registration, client_id: '' })).not.toEqual([])
    const { registration_client_uri: __, ...ratOnly } = registration
    expect(errors('registration-response', ratOnly).join()).toMatch(/registration_client_uri/)
    expect(
      errors('registration-response', { ...registration, registration_client_uri: '/register/x' }),
    ).not.toEqual([])
    expect(
      errors('registration-response', {
        ...registration,
        redirect_uris: 'https://client.example.org/cb',
      }),
    ).not.toEqual([])
    expect(
      errors('registration-response', { ...registration, error: 'invalid_client_metadata' }),
    ).not.toEqual([])
    expect(
      errors('registration-response', {
        ...registration,
        jwks: { keys: [] },
        jwks_uri: 'https://c.example/jwks',
      }),
    ).not.toEqual([])
  })

  it('client-read-response: requires the RFC 7592 §3 management members', () => {
    expect(errors('client-read-response', registration)).toEqual([])
    expect(errors('client-read-response', { client_id: 'x' }).join()).toMatch(
      /registration_client_uri|registration_access_token/,
    )
  })

  it('error-response and token-error: defined codes, ASCII descriptions, no client or tokens', () => {
    expect(
      errors('error-response', {
        error: 'invalid_redirect_uri',
        error_description: 'fragment not allowed',
      }),
    ).toEqual([])
    expect(errors('error-response', { error: 'invalid_token' })).toEqual([])
    expect(errors('error-response', { error: 'invalid_client_params' })).not.toEqual([])
    expect(errors('error-response', { message: 'bad request' })).not.toEqual([])
    expect(
      errors('error-response', { error: 'invalid_client_metadata', error_description: 'ungültig' }),
    ).not.toEqual([])
    expect(
      errors('error-response', { error: 'invalid_client_metadata', client_id: 'x' }),
    ).not.toEqual([])
    expect(
      errors('token-error', { error: 'invalid_grant', error_description: 'code already used' }),
    ).toEqual([])
    expect(
      errors('token-error', { error: 'invalid_grant', error_description: 'say "hi"' }),
    ).not.toEqual([])
    expect(errors('token-error', { error: 'invalid_token' })).not.toEqual([])
    expect(errors('token-error', { error: 'invalid_grant', access_token: 'x' })).not.toEqual([])
  })

  it('token-response: access_token and token_type required, expires_in a number, id_token a JWS', () => {
    expect(
      errors('token-response', {
        access_token: 'a',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: 'e30.e30.c2ln',
      }),
    ).toEqual([])
    expect(errors('token-response', { access_token: 'a' }).join()).toMatch(/token_type/)
    expect(
      errors('token-response', { access_token: 'a', token_type: 'Bearer', expires_in: '300' }),
    ).not.toEqual([])
    expect(
      errors('token-response', { access_token: 'a', token_type: 'Bearer', id_token: 'not a jwt' }),
    ).not.toEqual([])
  })

  it('discovery documents: required members and https endpoints, RS256 for OpenID providers', () => {
    const oauth = {
      issuer: 'https://as.example.com/tenant',
      authorization_endpoint: 'https://as.example.com/authorize',
      token_endpoint: 'https://as.example.com/token',
      response_types_supported: ['code'],
    }
    const openid = {
      ...oauth,
      jwks_uri: 'https://as.example.com/jwks',
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256', 'ES256'],
    }
    expect(errors('oauth-authorization-server', oauth)).toEqual([])
    expect(errors('openid-configuration', openid)).toEqual([])
    expect(
      errors('oauth-authorization-server', {
        ...oauth,
        issuer: 'https://as.example.com/?tenant=a',
      }),
    ).not.toEqual([])
    expect(
      errors('oauth-authorization-server', {
        ...oauth,
        token_endpoint: 'http://as.example.com/token',
      }),
    ).not.toEqual([])
    expect(errors('openid-configuration', oauth).join()).toMatch(/jwks_uri|subject_types_supported/)
    expect(
      errors('openid-configuration', {
        ...openid,
        id_token_signing_alg_values_supported: ['ES256'],
      }),
    ).not.toEqual([])
  })

  it('jwks: public keys only', () => {
    const ec = { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', kid: 'k1', use: 'sig' }
    expect(errors('jwks', { keys: [ec] })).toEqual([])
    expect(errors('jwks', { keys: [{ ...ec, d: 'private' }] })).not.toEqual([])
    expect(
      errors('jwks', { keys: [{ kty: 'RSA', n: 'n', e: 'AQAB', p: 'p', q: 'q' }] }),
    ).not.toEqual([])
    expect(errors('jwks', { keys: [{ kty: 'oct', k: 'c2VjcmV0' }] })).not.toEqual([])
    expect(errors('jwks', { keys: 'x' })).not.toEqual([])
  })

  it('id-token-claims and userinfo: sub and the required claims', () => {
    const claims = {
      iss: 'https://as.example.com',
      sub: 'alice',
      aud: 'client-1',
      exp: 1_764_303_600,
      iat: 1_764_300_000,
    }
    expect(errors('id-token-claims', claims)).toEqual([])
    expect(errors('id-token-claims', { ...claims, aud: ['client-1', 'other'] })).toEqual([])
    expect(errors('id-token-claims', { ...claims, sub: 'x'.repeat(256) })).not.toEqual([])
    expect(errors('id-token-claims', { ...claims, exp: Date.now() })).not.toEqual([])
    const { iat: _, ...noIat } = claims
    expect(errors('id-token-claims', noIat).join()).toMatch(/iat/)
    expect(errors('userinfo', { sub: 'alice', email: 'alice@example.com' })).toEqual([])
    expect(errors('userinfo', { email: 'alice@example.com' }).join()).toMatch(/sub/)
  })
})
