/**
 * The one token-endpoint request: a form POST of the grant's parameters with the client's
 * authentication, used by the `token` action, the client_credentials IAT and the
 * authorization_code IAT alike.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 */
import type { HttpRequest, HttpResponse } from './types.ts'
import { authenticateClient, formBody } from './client-auth.ts'
import type { ClientCredentials } from '../model/scenario.ts'

export interface TokenRequestInput {
  endpoint: string
  /** The grant's parameters; `undefined` values are left out. */
  params: Record<string, string | undefined>
  client: ClientCredentials
  /** Default: the client's `token_endpoint_auth_method`, else `client_secret_basic`. */
  authMethod?: string
  /**
   * Applied after client authentication, so a scenario can replace any parameter or remove it
   * (`undefined`), including the ones the auth method added.
   */
  overrides?: Record<string, string | undefined>
}

/** Builds the POST to the token endpoint (RFC 6749 §3.2: form-encoded, JSON answer). */
export async function buildTokenRequest(input: TokenRequestInput): Promise<HttpRequest> {
  const auth = await authenticateClient(input.client, input.authMethod, input.endpoint)
  return {
    method: 'POST',
    url: input.endpoint,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
      ...auth.headers,
    },
    body: formBody({ ...input.params, ...auth.params, ...input.overrides }),
  }
}

/**
 * The `access_token` of a successful token response (RFC 6749 §5.1), else undefined.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 */
export function accessTokenOf(response: HttpResponse): string | undefined {
  if (response.status !== 200) return undefined
  const body = response.body
  if (typeof body !== 'object' || body === null) return undefined
  const token = (body as Record<string, unknown>)['access_token']
  return typeof token === 'string' ? token : undefined
}
