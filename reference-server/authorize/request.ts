/**
 * Validation of an authorization request. Problems with the client or the redirect URI are shown
 * on an error page; everything after the redirect URI is trusted goes back as an error redirect.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.4.1
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import type { Params } from '../http/body.ts'
import { authMethodOf, redirectUrisOf, responseTypesOf, scopesOf } from '../client.ts'
import { redirectUriMatches } from './redirect-match.ts'
import { knownScopes } from '../registration/scope.ts'
import { checkResource, otherDuplicates } from '../mcp/resource-param.ts'

/** A validated authorization request (also stored with a pending login). */
export interface AuthorizationRequest {
  client_id: string
  redirect_uri: string
  redirect_uri_sent: boolean
  scope: string
  state?: string
  nonce?: string
  code_challenge?: string
  code_challenge_method?: string
  prompt: string[]
  max_age?: number
  /** The RFC 8707 resource the token will be bound to. */
  resource?: string
}

export type AuthorizationCheck =
  | { kind: 'page'; error: string; description: string }
  | {
      kind: 'redirect'
      redirectUri: string
      error: string
      description: string
      state: string | undefined
    }
  | { kind: 'ok'; client: ClientRecord; request: AuthorizationRequest }

const challengePattern = /^[A-Za-z0-9\-._~]{43,128}$/

function page(error: string, description: string): AuthorizationCheck {
  return { kind: 'page', error, description }
}

export async function checkAuthorizationRequest(
  ctx: ServerContext,
  params: Params,
): Promise<AuthorizationCheck> {
  const f = ctx.faults
  // 1. The client and its redirect URI: never redirect before both are trusted.
  if (params.duplicates.includes('client_id'))
    return page('invalid_request', 'client_id is repeated')
  const clientId = params.get('client_id')
  if (!clientId) return page('invalid_request', 'client_id is required')
  const client = await ctx.store.getClient(clientId)
  if (!client || client.kind === 'template') return page('invalid_client', 'unknown client')
  const registered = redirectUrisOf(client)
  if (params.duplicates.includes('redirect_uri'))
    return page('invalid_request', 'redirect_uri is repeated')
  const requestedUri = params.get('redirect_uri')
  const scope = params.get('scope')
  let redirectUri: string
  if (requestedUri !== undefined) {
    const match = registered.some((r) => redirectUriMatches(f, r, requestedUri))
    if (!match) {
      if (f.has('redirect-mismatch-redirects') && URL.canParse(requestedUri)) {
        return {
          kind: 'redirect',
          redirectUri: requestedUri,
          error: 'invalid_request',
          description: 'redirect_uri is not registered',
          state: params.get('state'),
        }
      }
      return page('invalid_request', 'redirect_uri is not registered for this client')
    }
    redirectUri = requestedUri
  } else {
    const openid = (scope ?? '').split(' ').includes('openid')
    if (registered.length === 0)
      return page('invalid_request', 'the client has no registered redirect URI')
    if ((registered.length > 1 || openid) && !f.has('missing-redirect-uri-defaults')) {
      return page('invalid_request', 'redirect_uri is required')
    }
    redirectUri = registered[0]!
  }

  // 2. From here on, errors go back to the (trusted) redirect URI with state and iss.
  const state = params.get('state')
  const fail = (error: string, description: string): AuthorizationCheck => ({
    kind: 'redirect',
    redirectUri,
    error,
    description,
    state,
  })
  const repeated = otherDuplicates(params)
  if (repeated.length > 0)
    return fail('invalid_request', `repeated parameter: ${repeated.join(', ')}`)
  const resource = checkResource(ctx, params)
  if (!resource.ok) return fail('invalid_target', resource.description)
  if (params.has('request'))
    return fail('request_not_supported', 'request objects are not supported')
  if (params.has('request_uri'))
    return fail('request_uri_not_supported', 'request_uri is not supported')
  const responseType = params.get('response_type')
  if (!responseType) return fail('invalid_request', 'response_type is required')
  if (!f.has('response-type-unchecked')) {
    if (responseType !== 'code')
      return fail('unsupported_response_type', `response_type ${responseType} is not supported`)
    if (!responseTypesOf(client).includes('code'))
      return fail('unauthorized_client', 'the client is not registered for response_type code')
  }
  const responseMode = params.get('response_mode')
  if (responseMode !== undefined && responseMode !== 'query')
    return fail('invalid_request', `response_mode ${responseMode} is not supported`)

  const allowedScopes = scopesOf(client)
  const asked =
    scope === undefined ? allowedScopes : [...new Set(scope.split(' ').filter(Boolean))]
  const wanted = knownScopes(ctx, asked)
  const outside = wanted.filter((s) => !allowedScopes.includes(s))
  if (outside.length > 0 && !f.has('scope-not-narrowed'))
    return fail('invalid_scope', `scope not allowed for this client: ${outside.join(' ')}`)

  const challenge = params.get('code_challenge')
  const method = params.get('code_challenge_method')
  const methods =
    ctx.config.pkce.allowPlain || f.has('pkce-plain-accepted') ? ['S256', 'plain'] : ['S256']
  if (method !== undefined && !methods.includes(method))
    return fail('invalid_request', `code_challenge_method ${method} is not supported`)
  if (challenge === undefined && method !== undefined)
    return fail('invalid_request', 'code_challenge_method without code_challenge')
  // An omitted method means `plain` (RFC 7636 §4.3), refused unless plain is allowed.
  if (challenge !== undefined && method === undefined && !methods.includes('plain')) {
    return fail('invalid_request', 'code_challenge_method is required (plain is not supported)')
  }
  if (challenge !== undefined && !challengePattern.test(challenge))
    return fail('invalid_request', 'code_challenge is malformed')
  if (challenge === undefined && !f.has('pkce-not-required')) {
    const publicClient = authMethodOf(client) === 'none' && ctx.config.pkce.requireForPublicClients
    if (client.metadata.require_proof_key === true || publicClient || ctx.config.pkce.requireForAllClients)
      return fail('invalid_request', 'code_challenge is required for this client')
  }

  const prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean)
  if (prompt.includes('none') && prompt.length > 1)
    return fail('invalid_request', 'prompt=none cannot be combined')
  const maxAgeParam = params.get('max_age')
  let maxAge: number | undefined
  if (maxAgeParam !== undefined) {
    if (!/^\d{1,9}$/.test(maxAgeParam))
      return fail('invalid_request', 'max_age must be a non-negative integer')
    maxAge = Number(maxAgeParam)
  } else if (
    typeof client.metadata.default_max_age === 'number' &&
    !f.has('default-max-age-ignored')
  ) {
    maxAge = client.metadata.default_max_age
  }

  const request: AuthorizationRequest = {
    client_id: client.client_id,
    redirect_uri: redirectUri,
    redirect_uri_sent: requestedUri !== undefined,
    scope: wanted.join(' '),
    prompt,
  }
  if (state !== undefined) request.state = state
  const nonce = params.get('nonce')
  if (nonce !== undefined) request.nonce = nonce
  if (challenge !== undefined) {
    request.code_challenge = challenge
    request.code_challenge_method = method ?? 'plain'
  }
  if (maxAge !== undefined) request.max_age = maxAge
  if (resource.resource !== undefined) request.resource = resource.resource
  return { kind: 'ok', client, request }
}
