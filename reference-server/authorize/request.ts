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
import { redirectUrisOf, responseTypesOf, scopesOf } from '../client.ts'
import { redirectUriMatches } from './redirect-match.ts'
import { knownScopes } from '../registration/scope.ts'
import { checkResource, otherDuplicates, resourceErrorCode } from '../mcp/resource-param.ts'
import { requiresProofKey } from '../auth/pkce-required.ts'
import { lookupClient } from '../cimd/lookup-client.ts'

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

/** The client and the redirect URI its errors may go back to. */
interface Trusted {
  kind: 'trusted'
  client: ClientRecord
  redirectUri: string
}

/** Why a request with a trusted redirect URI is refused: sent back as an error redirect. */
interface Refusal {
  error: string
  description: string
}

/** What the checks after the redirect URI collect for the stored request. */
interface Draft {
  scopes: string[]
  prompt: string[]
  challenge?: string
  method?: string
  maxAge?: number
  resource?: string
}

/** A request whose client and redirect URI are trusted, on its way through CHECKS. */
interface Checked {
  ctx: ServerContext
  params: Params
  client: ClientRecord
  draft: Draft
}

function refuse(error: string, description: string): Refusal {
  return { error, description }
}

/** Step 1: the client and its redirect URI; never redirect before both are trusted. */
async function trustClient(
  ctx: ServerContext,
  params: Params,
): Promise<AuthorizationCheck | Trusted> {
  if (params.duplicates.includes('client_id'))
    return page('invalid_request', 'client_id is repeated')
  const clientId = params.get('client_id')
  if (!clientId) return page('invalid_request', 'client_id is required')
  // A stored client, or one from its Client ID Metadata Document (an unusable one: never redirect).
  const found = await lookupClient(ctx, clientId)
  if (!found.ok) return page('invalid_client', found.description)
  // A soft-deleted client (faults on DELETE) is no client here: each such fault breaks one rule.
  if (found.client.deleted) return page('invalid_client', 'the client was deleted')
  if (params.duplicates.includes('redirect_uri'))
    return page('invalid_request', 'redirect_uri is repeated')
  const requestedUri = params.get('redirect_uri')
  if (requestedUri === undefined) return defaultRedirectUri(ctx.faults, found.client, params)
  // A document client's redirect URIs are its document's (draft-ietf-oauth-client-id-
  // metadata-document-02 §4.2); the faults skip the comparison.
  const f = ctx.faults
  const unchecked =
    found.client.kind === 'cimd' &&
    (found.unverified === true || f.has('cimd-redirect-uri-unchecked'))
  const registered = redirectUrisOf(found.client)
  if (unchecked || registered.some((r) => redirectUriMatches(f, r, requestedUri)))
    return { kind: 'trusted', client: found.client, redirectUri: requestedUri }
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

/** No redirect_uri sent: the only registered one, unless OpenID requires it to be sent. */
function defaultRedirectUri(
  f: ServerContext['faults'],
  client: ClientRecord,
  params: Params,
): AuthorizationCheck | Trusted {
  const registered = redirectUrisOf(client)
  const openid = (params.get('scope') ?? '').split(' ').includes('openid')
  if (registered.length === 0)
    return page('invalid_request', 'the client has no registered redirect URI')
  if ((registered.length > 1 || openid) && !f.has('missing-redirect-uri-defaults')) {
    return page('invalid_request', 'redirect_uri is required')
  }
  return { kind: 'trusted', client, redirectUri: registered[0]! }
}

/** Repeated parameters, the resource, request objects, response type and mode. */
function checkEnvelope(request: Checked): Refusal | undefined {
  const { ctx, params, client, draft } = request
  const f = ctx.faults
  const repeated = otherDuplicates(params)
  if (repeated.length > 0)
    return refuse('invalid_request', `repeated parameter: ${repeated.join(', ')}`)
  const resource = checkResource(ctx, params)
  if (!resource.ok) return refuse(resourceErrorCode(ctx), resource.description)
  draft.resource = resource.resource
  if (params.has('request'))
    return refuse('request_not_supported', 'request objects are not supported')
  if (params.has('request_uri'))
    return refuse('request_uri_not_supported', 'request_uri is not supported')
  const responseType = params.get('response_type')
  if (!responseType) return refuse('invalid_request', 'response_type is required')
  if (!f.has('response-type-unchecked')) {
    if (responseType !== 'code')
      return refuse('unsupported_response_type', `response_type ${responseType} is not supported`)
    if (!responseTypesOf(client).includes('code'))
      return refuse('unauthorized_client', 'the client is not registered for response_type code')
  }
  const responseMode = params.get('response_mode')
  if (responseMode !== undefined && responseMode !== 'query')
    return refuse('invalid_request', `response_mode ${responseMode} is not supported`)
  return undefined
}

/** The known scopes asked for (all the client's when none), each allowed for the client. */
function checkScope(request: Checked): Refusal | undefined {
  const { ctx, params, client, draft } = request
  const scope = params.get('scope')
  const allowedScopes = scopesOf(client)
  const asked =
    scope === undefined ? allowedScopes : [...new Set(scope.split(' ').filter(Boolean))]
  draft.scopes = knownScopes(ctx, asked)
  const outside = draft.scopes.filter((s) => !allowedScopes.includes(s))
  if (outside.length > 0 && !ctx.faults.has('scope-not-narrowed'))
    return refuse('invalid_scope', `scope not allowed for this client: ${outside.join(' ')}`)
  return undefined
}

/** PKCE: a supported method, a well-formed challenge, required where the policy says so. */
function checkPkce(request: Checked): Refusal | undefined {
  const { ctx, params, client, draft } = request
  const f = ctx.faults
  const challenge = params.get('code_challenge')
  const method = params.get('code_challenge_method')
  const methods =
    ctx.config.pkce.allowPlain || f.has('pkce-plain-accepted') ? ['S256', 'plain'] : ['S256']
  if (method !== undefined && !methods.includes(method))
    return refuse('invalid_request', `code_challenge_method ${method} is not supported`)
  if (challenge === undefined && method !== undefined)
    return refuse('invalid_request', 'code_challenge_method without code_challenge')
  // An omitted method means `plain` (RFC 7636 §4.3), refused unless plain is allowed.
  const absentAsPlain = methods.includes('plain') || f.has('pkce-absent-method-plain')
  if (challenge !== undefined && method === undefined && !absentAsPlain) {
    return refuse('invalid_request', 'code_challenge_method is required (plain is not supported)')
  }
  if (challenge !== undefined && !challengePattern.test(challenge))
    return refuse('invalid_request', 'code_challenge is malformed')
  // Under `pkce-required-only-at-token` the code is issued and only its redeem refused.
  const laterOnly = f.has('pkce-not-required') || f.has('pkce-required-only-at-token')
  if (challenge === undefined && !laterOnly && requiresProofKey(ctx, client))
    return refuse('invalid_request', 'code_challenge is required for this client')
  draft.challenge = challenge
  draft.method = method
  return undefined
}

/** prompt (none alone) and max_age, which defaults to the client's default_max_age. */
function checkPromptAndMaxAge(request: Checked): Refusal | undefined {
  const { ctx, params, client, draft } = request
  draft.prompt = (params.get('prompt') ?? '').split(' ').filter(Boolean)
  if (draft.prompt.includes('none') && draft.prompt.length > 1)
    return refuse('invalid_request', 'prompt=none cannot be combined')
  const maxAgeParam = params.get('max_age')
  if (maxAgeParam !== undefined) {
    if (!/^\d{1,9}$/.test(maxAgeParam))
      return refuse('invalid_request', 'max_age must be a non-negative integer')
    draft.maxAge = Number(maxAgeParam)
  } else if (
    typeof client.metadata.default_max_age === 'number' &&
    !ctx.faults.has('default-max-age-ignored')
  ) {
    draft.maxAge = client.metadata.default_max_age
  }
  return undefined
}

/** In this order; the first refusal is the one sent back. */
const CHECKS = [checkEnvelope, checkScope, checkPkce, checkPromptAndMaxAge]

function requestOf(trusted: Trusted, params: Params, draft: Draft): AuthorizationRequest {
  const request: AuthorizationRequest = {
    client_id: trusted.client.client_id,
    redirect_uri: trusted.redirectUri,
    redirect_uri_sent: params.get('redirect_uri') !== undefined,
    scope: draft.scopes.join(' '),
    prompt: draft.prompt,
  }
  const state = params.get('state')
  if (state !== undefined) request.state = state
  const nonce = params.get('nonce')
  if (nonce !== undefined) request.nonce = nonce
  if (draft.challenge !== undefined) {
    request.code_challenge = draft.challenge
    request.code_challenge_method = draft.method ?? 'plain'
  }
  if (draft.maxAge !== undefined) request.max_age = draft.maxAge
  if (draft.resource !== undefined) request.resource = draft.resource
  return request
}

export async function checkAuthorizationRequest(
  ctx: ServerContext,
  params: Params,
): Promise<AuthorizationCheck> {
  const trusted = await trustClient(ctx, params)
  if (trusted.kind !== 'trusted') return trusted
  // Step 2: from here on, errors go back to the (trusted) redirect URI with state and iss.
  const draft: Draft = { scopes: [], prompt: [] }
  const checked: Checked = { ctx, params, client: trusted.client, draft }
  for (const check of CHECKS) {
    const refusal = check(checked)
    if (!refusal) continue
    const { redirectUri } = trusted
    return { kind: 'redirect', redirectUri, ...refusal, state: params.get('state') }
  }
  return { kind: 'ok', client: trusted.client, request: requestOf(trusted, params, draft) }
}
