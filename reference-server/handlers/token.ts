/**
 * POST /oauth/v2/oauth-token: client_credentials, authorization_code (PKCE) and refresh_token
 * (rotation with reuse detection).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.6
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHash } from 'node:crypto'
import type { ServerContext } from '../context.ts'
import type { ClientRecord, TokenRecord } from '../store.ts'
import { authenticateClient } from '../auth/client-auth.ts'
import { requiresProofKey } from '../auth/pkce-required.ts'
import { authMethodOf, grantTypesOf, numberOf, scopesOf } from '../client.ts'
import { refreshTokenWithoutGrant } from '../registration/grant-types.ts'
import { knownScopes } from '../registration/scope.ts'
import { readForm } from '../http/body.ts'
import type { Params } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { noStore, sendJson } from '../http/respond.ts'
import { randomToken } from '../random.ts'
import { signIdToken } from '../tokens/id-token.ts'
import { issueAccessToken, issueRefreshToken } from '../tokens/issue.ts'
import { checkResource, otherDuplicates, resourceErrorCode } from '../mcp/resource-param.ts'

const supportedGrants = new Set(['authorization_code', 'client_credentials', 'refresh_token'])

const invalidGrant = (description: string) => new OAuthHttpError(400, 'invalid_grant', description)

function splitScope(scope: string | undefined): string[] {
  return [...new Set((scope ?? '').split(' ').filter(Boolean))]
}

/**
 * Whether the client's registration lets it use `grantType` (RFC 6749 §5.2 `unauthorized_client`
 * otherwise). Faults: `grant-type-unchecked` (any grant), `refresh-grant-unregistered` (refresh).
 */
function mayUseGrant(ctx: ServerContext, client: ClientRecord, grantType: string): boolean {
  if (grantTypesOf(client).includes(grantType)) return true
  if (ctx.faults.has('grant-type-unchecked')) return true
  return grantType === 'refresh_token' && ctx.faults.has('refresh-grant-unregistered')
}

export async function tokenHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readForm(req, ctx.config.limits.bodyBytes)
  const repeated = otherDuplicates(params)
  if (repeated.length > 0) {
    throw new OAuthHttpError(400, 'invalid_request', `repeated parameter: ${repeated.join(', ')}`)
  }
  const grantType = params.get('grant_type')
  if (!grantType) throw new OAuthHttpError(400, 'invalid_request', 'grant_type is required')
  // Policy `tokens.codeCheckedBeforeClient`: an unknown code is refused before the client is
  // authenticated (allowed: RFC 6749 §4.1.3 orders neither check).
  if (
    ctx.config.tokens.codeCheckedBeforeClient === true &&
    grantType === 'authorization_code' &&
    !(await ctx.store.getToken('authorization_code', params.get('code') ?? ''))
  )
    throw invalidGrant('the authorization code is invalid or expired')
  const { client } = await authenticateClient(ctx, req, params)
  // The `delete-keeps-refresh-tokens` fault soft-deletes: only the refresh grant still works;
  // under `deleted-client-authenticates` every grant does.
  if (
    client.deleted &&
    grantType !== 'refresh_token' &&
    !ctx.faults.has('deleted-client-authenticates')
  )
    throw new OAuthHttpError(401, 'invalid_client', 'the client was deleted')
  // Under `password-grant-accepted` a client registered for the password grant may use it. No
  // user here has a password for it, so every attempt checks the user and fails (RFC 6749 §4.3.2).
  const passwordFault = grantType === 'password' && ctx.faults.has('password-grant-accepted')
  if (passwordFault && mayUseGrant(ctx, client, grantType)) {
    throw invalidGrant('the resource owner credentials are invalid')
  }
  if (!(ctx.config.tokens.grantTypes ?? [...supportedGrants]).includes(grantType)) {
    throw new OAuthHttpError(
      400,
      'unsupported_grant_type',
      `grant type ${grantType} is not supported`,
    )
  }
  if (!mayUseGrant(ctx, client, grantType)) {
    throw new OAuthHttpError(
      400,
      'unauthorized_client',
      `the client is not registered for ${grantType}`,
    )
  }
  // RFC 6749 §4.4: only confidential clients use client_credentials (a `none` client exists
  // with it only under policy `noneWithClientCredentials: accept`, or the fault).
  if (
    grantType === 'client_credentials' &&
    authMethodOf(client) === 'none' &&
    !ctx.faults.has('none-with-client-credentials')
  ) {
    throw new OAuthHttpError(
      400,
      'unauthorized_client',
      'client_credentials is for confidential clients only',
    )
  }
  let body: Record<string, unknown>
  if (grantType === 'client_credentials') body = await clientCredentials(ctx, client, params)
  else if (grantType === 'authorization_code') body = await authorizationCode(ctx, client, params)
  else body = await refreshToken(ctx, client, params)
  if (ctx.faults.has('token-scope-omitted')) delete body.scope
  sendJson(res, 200, body, ctx.faults.has('token-no-store-missing') ? {} : { ...noStore })
}

/**
 * The audience of the token (RFC 8707 §2): the token request's `resource`, else the one the
 * grant was made for; a token request may not name another resource than its grant's.
 */
function audience(
  ctx: ServerContext,
  params: Params,
  granted: unknown,
): Record<string, unknown> | undefined {
  const check = checkResource(ctx, params)
  if (!check.ok) throw new OAuthHttpError(400, resourceErrorCode(ctx), check.description)
  const grant = typeof granted === 'string' ? granted : undefined
  if (check.resource !== undefined && grant !== undefined && check.resource !== grant)
    throw new OAuthHttpError(400, resourceErrorCode(ctx), 'resource differs from the grant')
  const resource = check.resource ?? grant
  return resource === undefined ? undefined : { resource }
}

/** The requested scope narrowed to the client's registration (RFC 6749 §3.3). */
function grantedScope(
  ctx: ServerContext,
  client: ClientRecord,
  requested: string | undefined,
): string {
  const allowed = scopesOf(client)
  if (requested === undefined) return knownScopes(ctx, allowed).join(' ')
  const wanted = splitScope(requested)
  const outside = wanted.filter((s) => !allowed.includes(s))
  if (outside.length > 0 && !ctx.faults.has('scope-not-narrowed')) {
    throw new OAuthHttpError(
      400,
      'invalid_scope',
      `scope not allowed for this client: ${outside.join(' ')}`,
    )
  }
  const granted = knownScopes(ctx, wanted)
  if (granted.length === 0 && wanted.length > 0)
    throw new OAuthHttpError(400, 'invalid_scope', `unknown scope: ${wanted.join(' ')}`)
  return granted.join(' ')
}

async function clientCredentials(
  ctx: ServerContext,
  client: ClientRecord,
  params: Params,
): Promise<Record<string, unknown>> {
  const scope = grantedScope(ctx, client, params.get('scope'))
  const data = audience(ctx, params, undefined)
  const { record, expiresIn } = await issueAccessToken(ctx, client, {
    scope,
    grant: 'client_credentials',
    ...(data ? { data } : {}),
  })
  return { access_token: record.value, scope, token_type: 'Bearer', expires_in: expiresIn }
}

/** Verifies a PKCE code_verifier against the stored challenge. */
function pkceMatches(ctx: ServerContext, code: TokenRecord, verifier: string): boolean {
  if (!/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier)) return false
  if (code.codeChallengeMethod === 'plain') return verifier === code.codeChallenge
  const encoding = ctx.faults.has('pkce-s256-wrong-encoding') ? 'hex' : 'base64url'
  return createHash('sha256').update(verifier, 'ascii').digest(encoding) === code.codeChallenge
}

async function authorizationCode(
  ctx: ServerContext,
  client: ClientRecord,
  params: Params,
): Promise<Record<string, unknown>> {
  const f = ctx.faults
  const value = params.get('code')
  if (!value) throw new OAuthHttpError(400, 'invalid_request', 'code is required')
  // Policy `tokens.codeVerifierRequired`: PKCE for every client, checked before the code.
  if (ctx.config.tokens.codeVerifierRequired && params.get('code_verifier') === undefined)
    throw new OAuthHttpError(400, 'invalid_request', 'code_verifier is required')
  const code = f.has('code-reusable')
    ? await ctx.store.getToken('authorization_code', value)
    : await ctx.store.useToken('authorization_code', value, ctx.now())
  if (!code) throw invalidGrant('the authorization code is invalid or expired')
  if (code.usedAt !== undefined) {
    // Replay: refuse and revoke what the first redemption issued (RFC 6749 §4.1.2).
    if (code.grantId && !f.has('code-replay-no-revoke')) await ctx.store.revokeGrant(code.grantId)
    throw invalidGrant('the authorization code was already used')
  }
  if (code.client_id !== client.client_id && !f.has('code-not-bound-to-client')) {
    throw invalidGrant('the authorization code was issued to another client')
  }
  const redirectUri = params.get('redirect_uri')
  if (!f.has('code-redirect-uri-unchecked')) {
    if (code.redirectUriSent && redirectUri === undefined)
      throw new OAuthHttpError(400, 'invalid_request', 'redirect_uri is required')
    if (redirectUri !== undefined && redirectUri !== code.redirectUri)
      throw invalidGrant('redirect_uri does not match the authorization request')
  }
  const verifier = params.get('code_verifier')
  if (code.codeChallenge !== undefined) {
    if (!f.has('pkce-ignored')) {
      if (verifier === undefined) throw invalidGrant('code_verifier is required')
      if (!pkceMatches(ctx, code, verifier))
        throw invalidGrant('code_verifier does not match the code challenge')
    }
  } else if (verifier !== undefined && !f.has('pkce-downgrade')) {
    throw invalidGrant('code_verifier sent but the authorization request had no code_challenge')
  } else if (f.has('pkce-required-only-at-token') && requiresProofKey(ctx, client)) {
    throw new OAuthHttpError(400, 'invalid_request', 'code_verifier is required')
  }

  const scope = code.scope
  const grantId = code.grantId ?? randomToken(12)
  const data = audience(ctx, params, code.data?.['resource'])
  const user = { scope, sub: code.sub!, grantId, authTime: code.authTime!, ...(data && { data }) }
  const { body, accessToken } = await accessTokenBody(ctx, client, 'authorization_code', user)
  const refreshTtl =
    numberOf(client, 'refresh_token_ttl') ?? ctx.config.registration.defaultRefreshTokenTtl
  const refreshScope = ctx.config.tokens.refreshTokenScope
  const refreshAllowed = refreshScope === undefined || splitScope(scope).includes(refreshScope)
  const refreshGrant =
    grantTypesOf(client).includes('refresh_token') || refreshTokenWithoutGrant(ctx)
  if (refreshGrant && refreshTtl > 0 && refreshAllowed) {
    const refresh = await issueRefreshToken(ctx, client, refreshTtl, user)
    body.refresh_token = refresh.value
  }
  if (splitScope(scope).includes('openid')) {
    body.id_token = await signIdToken(ctx, client, {
      account: code.sub!,
      authTime: code.authTime!,
      nonce: code.nonce!,
      accessToken,
    })
  }
  return body
}

/** Who a code or refresh token was granted to, and for what. */
interface UserGrant {
  scope: string
  sub: string
  grantId: string
  authTime: number
  data?: Record<string, unknown>
}

/** A user grant's access token and the success body that carries it (RFC 6749 §5.1). */
async function accessTokenBody(
  ctx: ServerContext,
  client: ClientRecord,
  grant: 'authorization_code' | 'refresh_token',
  user: UserGrant,
): Promise<{ body: Record<string, unknown>; accessToken: string }> {
  const { record, expiresIn } = await issueAccessToken(ctx, client, { grant, ...user })
  const { value } = record
  const { scope } = user
  const body = { access_token: value, token_type: 'Bearer', expires_in: expiresIn, scope }
  return { body, accessToken: value }
}

async function refreshToken(
  ctx: ServerContext,
  client: ClientRecord,
  params: Params,
): Promise<Record<string, unknown>> {
  const f = ctx.faults
  const value = params.get('refresh_token')
  if (!value) throw new OAuthHttpError(400, 'invalid_request', 'refresh_token is required')
  const rotate = !f.has('refresh-reusable')
  // Check binding and scope before using the token up, so a bad request cannot burn it.
  const peek = await ctx.store.getToken('refresh_token', value)
  if (peek && peek.usedAt === undefined) {
    if (peek.client_id !== client.client_id && !f.has('refresh-not-bound'))
      throw invalidGrant('the refresh token was issued to another client')
    const wider = splitScope(params.get('scope')).filter((s) => !splitScope(peek.scope).includes(s))
    if (wider.length > 0 && !f.has('refresh-scope-widening')) {
      throw new OAuthHttpError(
        400,
        'invalid_scope',
        `scope exceeds the original grant: ${wider.join(' ')}`,
      )
    }
  }
  const old = rotate ? await ctx.store.useToken('refresh_token', value, ctx.now()) : peek
  if (!old) throw invalidGrant('the refresh token is invalid or expired')
  if (old.usedAt !== undefined) {
    // Reuse of a rotated refresh token: revoke the whole grant (RFC 9700 §4.14.2).
    if (old.grantId) await ctx.store.revokeGrant(old.grantId)
    throw invalidGrant('the refresh token was already used')
  }
  const requested = params.get('scope')
  const scope = requested === undefined ? old.scope : splitScope(requested).join(' ')
  const grantId = old.grantId ?? randomToken(12)
  const data = audience(ctx, params, old.data?.['resource'])
  const user = { scope, sub: old.sub!, grantId, authTime: old.authTime!, ...(data && { data }) }
  const { body, accessToken } = await accessTokenBody(ctx, client, 'refresh_token', user)
  if (rotate) {
    const ttl = Math.max(1, old.expiresAt - ctx.now())
    const next = await issueRefreshToken(ctx, client, ttl, {
      scope: old.scope,
      sub: old.sub!,
      grantId,
      authTime: old.authTime!,
      ...(old.data ? { data: old.data } : {}),
    })
    body.refresh_token = next.value
  } else {
    body.refresh_token = value
  }
  if (splitScope(scope).includes('openid') && old.sub) {
    body.id_token = await signIdToken(ctx, client, {
      account: old.sub,
      authTime: old.authTime!,
      accessToken,
    })
  }
  return body
}
