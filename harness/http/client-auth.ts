/**
 * Client authentication at the token endpoint.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-2.2
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
import { randomUUID } from 'node:crypto'
import { importJWK, SignJWT, type JWK } from 'jose'
import { HarnessError, UnmetPreconditionError } from '../errors.ts'
import type { ClientCredentials } from '../model/scenario.ts'

/**
 * `application/x-www-form-urlencoded` encoding of one value (RFC 6749 Appendix B): used both for
 * form bodies and for the id and secret inside HTTP Basic credentials.
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-B
 */
export function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/** A form body from name/value pairs; `undefined` values are left out. */
export function formBody(params: Record<string, string | undefined>): string {
  const pairs: [string, string][] = []
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) pairs.push([name, value])
  return new URLSearchParams(pairs).toString()
}

/**
 * `client_secret_basic`: the id and secret are form-urlencoded first, then joined with `:` and
 * base64-encoded.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 */
export function basicAuthorization(clientId: string, clientSecret: string): string {
  const credentials = `${formEncode(clientId)}:${formEncode(clientSecret)}`
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`
}

/** How the client authenticates: the headers and form parameters to add. */
export interface ClientAuthentication {
  headers: Record<string, string>
  params: Record<string, string>
}

/**
 * Applies the client's auth method. Default: the client's `token_endpoint_auth_method`, else
 * `client_secret_basic` (RFC 7591 §2 default).
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-2
 */
export async function authenticateClient(
  client: ClientCredentials,
  method: string | undefined,
  tokenEndpoint: string,
): Promise<ClientAuthentication> {
  const chosen = method ?? client.token_endpoint_auth_method ?? 'client_secret_basic'
  switch (chosen) {
    case 'client_secret_basic':
      return {
        headers: {
          authorization: basicAuthorization(client.client_id, requireSecret(client, chosen)),
        },
        params: {},
      }
    case 'client_secret_post':
      return {
        headers: {},
        params: { client_id: client.client_id, client_secret: requireSecret(client, chosen) },
      }
    case 'none':
      return { headers: {}, params: { client_id: client.client_id } }
    case 'private_key_jwt':
      return {
        headers: {},
        params: {
          client_id: client.client_id,
          client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
          client_assertion: await clientAssertion(client, tokenEndpoint),
        },
      }
    default:
      throw new HarnessError('E_ACTION', `token: unsupported client auth method '${chosen}'`)
  }
}

function requireSecret(client: ClientCredentials, method: string): string {
  if (typeof client.client_secret !== 'string' || client.client_secret === '') {
    // The client comes from a registration response (`client: ${{ steps.reg.body }}`): one
    // without a secret is the server's answer, so what needs it judges nothing.
    throw new UnmetPreconditionError(
      `the client has the client_secret that ${method} needs`,
      `token: ${method} needs the client's client_secret (none given)`,
    )
  }
  return client.client_secret
}

/**
 * A `private_key_jwt` assertion: iss = sub = client_id, aud = the token endpoint, a fresh jti,
 * short exp.
 * @see https://www.rfc-editor.org/rfc/rfc7523#section-3
 */
async function clientAssertion(client: ClientCredentials, tokenEndpoint: string): Promise<string> {
  const jwk = client.private_jwk as JWK | undefined
  if (!jwk || typeof jwk !== 'object') {
    throw new HarnessError('E_ACTION', "token: private_key_jwt needs the client's private_jwk")
  }
  const alg = typeof jwk.alg === 'string' ? jwk.alg : defaultAlg(jwk)
  const key = await importJWK(jwk, alg)
  return new SignJWT({})
    .setProtectedHeader({ alg, ...(typeof jwk.kid === 'string' ? { kid: jwk.kid } : {}) })
    .setIssuer(client.client_id)
    .setSubject(client.client_id)
    .setAudience(tokenEndpoint)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(key)
}

function defaultAlg(jwk: JWK): string {
  if (jwk.kty === 'EC')
    return jwk.crv === 'P-384' ? 'ES384' : jwk.crv === 'P-521' ? 'ES512' : 'ES256'
  if (jwk.kty === 'OKP') return 'EdDSA'
  return 'RS256'
}
