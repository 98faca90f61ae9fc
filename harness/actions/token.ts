/**
 * `token` action: an IAT by the target's strategy, or a grant at the token endpoint with a
 * registered client's credentials and auth method.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 */
import { HarnessError } from '../errors.ts'
import type { TokenInput } from '../model/scenario.ts'
import type { Action, ActionContext, ActionResult } from './action.ts'
import { buildTokenRequest } from '../http/token-request.ts'
import { iatFor } from './iat-context.ts'
import { requireJsonSuccess, responseData, sendPrepared, type PreparedRequest } from './prepared.ts'

export const tokenAction: Action<TokenInput> = {
  name: 'token',
  async execute(input, context) {
    if (input.purpose) return initialAccessToken(input.purpose, context)
    return sendPrepared(await prepareToken(input, context), context)
  },
}

async function initialAccessToken(
  purpose: NonNullable<TokenInput['purpose']>,
  context: ActionContext,
): Promise<ActionResult> {
  // A failure carries the token endpoint's exchange (see obtainIat).
  const result = await iatFor(context, purpose)
  if (result.response) return { data: responseData(result.response), exchanges: result.exchanges }
  // Strategies that ask no server (static, command, none) still give `access_token`.
  const body = result.token ? { access_token: result.token, token_type: 'Bearer' } : {}
  return { data: { ...body, body }, exchanges: result.exchanges }
}

/** Builds the token request for a grant. */
export async function prepareToken(
  input: TokenInput,
  context: ActionContext,
): Promise<PreparedRequest> {
  const tokenEndpoint = context.target.endpoints['token_endpoint']
  if (!tokenEndpoint)
    throw new HarnessError('E_ACTION', `target '${context.target.name}' has no token_endpoint`)
  if (!input.client || typeof input.client.client_id !== 'string') {
    throw new HarnessError('E_ACTION', 'token: `client` with a client_id is required for a grant')
  }
  const grant =
    input.grant_type ??
    (input.code
      ? 'authorization_code'
      : input.refresh_token
        ? 'refresh_token'
        : 'client_credentials')
  const params: Record<string, string | undefined> = { grant_type: grant }
  if (grant === 'authorization_code') {
    params['code'] = input.code
    params['redirect_uri'] = input.redirect_uri
    params['code_verifier'] = input.code_verifier
  } else if (grant === 'refresh_token') {
    params['refresh_token'] = input.refresh_token
  }
  params['scope'] = input.scope
  const overrides: Record<string, string | undefined> = {}
  for (const [name, value] of Object.entries(input.params ?? {})) {
    overrides[name] = value === null ? undefined : String(value)
  }
  return {
    request: await buildTokenRequest({
      endpoint: tokenEndpoint,
      params,
      client: input.client,
      authMethod: input.auth_method,
      overrides,
    }),
    exchanges: [],
    finish: (response) => {
      requireJsonSuccess(response, `token endpoint ${tokenEndpoint}`)
      return responseData(response)
    },
  }
}
