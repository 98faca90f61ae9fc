import { generateKeyPair, exportJWK, jwtVerify, decodeProtectedHeader } from 'jose'
import { describe, expect, it } from 'vitest'
import { authenticateClient, basicAuthorization } from '../../../harness/http/client-auth.ts'
import { formBody, formEncode } from '../../../harness/http/client-auth.ts'

describe('client authentication', () => {
  it('form-urlencodes id and secret before base64 (RFC 6749 §2.3.1)', () => {
    expect(formEncode('a b+c:d/é')).toBe('a+b%2Bc%3Ad%2F%C3%A9')
    const header = basicAuthorization('my client', 'p@ss:w+rd')
    expect(Buffer.from(header.replace('Basic ', ''), 'base64').toString()).toBe(
      'my+client:p%40ss%3Aw%2Brd',
    )
  })

  it('builds form bodies without undefined members', () => {
    expect(formBody({ a: '1 2', b: undefined, c: '&' })).toBe('a=1+2&c=%26')
  })

  it('client_secret_basic is the default, client_secret_post and none put the id in the form', async () => {
    const client = { client_id: 'c1', client_secret: 's1' }
    expect(await authenticateClient(client, undefined, 'https://as/token')).toEqual({
      headers: { authorization: basicAuthorization('c1', 's1') },
      params: {},
    })
    expect(
      await authenticateClient(
        { ...client, token_endpoint_auth_method: 'client_secret_post' },
        undefined,
        'x',
      ),
    ).toEqual({
      headers: {},
      params: { client_id: 'c1', client_secret: 's1' },
    })
    expect(await authenticateClient(client, 'none', 'x')).toEqual({
      headers: {},
      params: { client_id: 'c1' },
    })
  })

  it('needs a secret for secret methods and refuses unknown methods', async () => {
    await expect(
      authenticateClient({ client_id: 'c1' }, 'client_secret_basic', 'x'),
    ).rejects.toMatchObject({ code: 'E_ACTION' })
    await expect(
      authenticateClient({ client_id: 'c1', client_secret: 's' }, 'tls_client_auth', 'x'),
    ).rejects.toMatchObject({ message: /unsupported client auth method/ })
  })

  it('private_key_jwt signs an assertion for the token endpoint', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true })
    const jwk = { ...(await exportJWK(privateKey)), kid: 'k1' }
    const auth = await authenticateClient(
      { client_id: 'c1', private_jwk: jwk },
      'private_key_jwt',
      'https://as/token',
    )
    expect(auth.params['client_assertion_type']).toBe(
      'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    )
    const assertion = auth.params['client_assertion']!
    expect(decodeProtectedHeader(assertion)).toEqual({ alg: 'ES256', kid: 'k1' })
    const { payload } = await jwtVerify(assertion, publicKey, {
      audience: 'https://as/token',
      issuer: 'c1',
      subject: 'c1',
    })
    expect(typeof payload.jti).toBe('string')
    expect(payload.exp! - payload.iat!).toBe(120)
  })
})
