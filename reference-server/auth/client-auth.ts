/**
 * Client authentication at the token, introspection and revocation endpoints: exactly one method
 * per request, and it must be the method the client registered.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#ClientAuthentication
 */
import type { IncomingMessage } from 'node:http'
import { createHash, timingSafeEqual } from 'node:crypto'
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose'
import type { JSONWebKeySet } from 'jose'
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import type { Params } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { authMethodOf } from '../client.ts'
import { signingAlgs } from '../keys.ts'
import { clientById, lookupClient } from '../cimd/lookup-client.ts'

export const jwtBearerAssertionType = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'

export interface AuthenticatedClient {
  client: ClientRecord
  /** The method the request used. */
  method: 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt' | 'none'
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

/** Constant-time comparison of two secrets. */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(digest(a), digest(b))
}

function invalidClient(
  ctx: ServerContext,
  description: string,
  basicUsed: boolean,
): OAuthHttpError {
  const challenge: Record<string, string> =
    basicUsed && ctx.faults.has('basic-no-www-authenticate')
      ? {}
      : { 'www-authenticate': 'Basic realm="oauth", charset="UTF-8"' }
  return new OAuthHttpError(401, 'invalid_client', description, challenge)
}

/**
 * Basic credentials: id and secret are form-urlencoded before Base64 (RFC 6749 §2.3.1). The
 * decoded values come first; the raw ones are kept for clients that do not encode.
 */
function decodeBasic(header: string): { ids: string[]; secrets: string[] } | undefined {
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon < 0) return undefined
  const rawId = decoded.slice(0, colon)
  const rawSecret = decoded.slice(colon + 1)
  const formDecode = (text: string) => {
    try {
      return decodeURIComponent(text.replace(/\+/g, ' '))
    } catch {
      return undefined
    }
  }
  const ids = [formDecode(rawId), rawId].filter((v): v is string => v !== undefined)
  const secrets = [formDecode(rawSecret), rawSecret].filter((v): v is string => v !== undefined)
  return { ids: [...new Set(ids)], secrets: [...new Set(secrets)] }
}

function secretMatches(client: ClientRecord, secret: string, ctx: ServerContext): boolean {
  if (client.client_secret !== undefined && secretsEqual(client.client_secret, secret)) return true
  // Under `rotation-old-still-valid` rotated secrets are kept and still accepted.
  return (
    ctx.faults.has('rotation-old-still-valid') &&
    (client.previousSecrets ?? []).some((s) => secretsEqual(s, secret))
  )
}

/** The registered method, as the token endpoint enforces it (faults may bend it). */
function enforcedMethod(ctx: ServerContext, client: ClientRecord): string {
  const method = authMethodOf(client)
  if (method === 'none' && ctx.faults.has('none-ignored')) return 'client_secret_basic'
  return method
}

/**
 * Authenticates the client of a token, introspection or revocation request.
 * Throws 400 `invalid_request` for two methods at once, 401 `invalid_client` otherwise.
 */
export async function authenticateClient(
  ctx: ServerContext,
  req: IncomingMessage,
  params: Params,
): Promise<AuthenticatedClient> {
  const header = req.headers.authorization
  const basic =
    typeof header === 'string' &&
    /^basic /i.test(header) &&
    !(ctx.faults.has('basic-ignored') && (await basicOfDynamicClient(ctx, header)))
  const post = params.has('client_secret')
  const jwt = params.has('client_assertion') || params.has('client_assertion_type')
  const presented = [basic, post, jwt].filter(Boolean).length
  if (presented > 1 && !ctx.faults.has('two-auth-methods-accepted')) {
    throw new OAuthHttpError(
      400,
      'invalid_request',
      'more than one client authentication method used',
    )
  }

  if (basic) {
    const credentials = decodeBasic(header!)
    if (!credentials) throw invalidClient(ctx, 'malformed Basic credentials', true)
    // The fault skips the form-urldecoding: only the raw values are compared.
    const raw = ctx.faults.has('basic-not-urldecoded')
    const clientId = raw ? credentials.ids.at(-1)! : credentials.ids[0]!
    const secrets = raw ? credentials.secrets.slice(-1) : credentials.secrets
    const bodyId = params.get('client_id')
    if (bodyId !== undefined && bodyId !== clientId) {
      throw new OAuthHttpError(
        400,
        'invalid_request',
        'client_id in the body differs from the Basic credentials',
      )
    }
    return secretAuth(ctx, clientId, secrets, 'client_secret_basic')
  }
  if (post) {
    const clientId = params.get('client_id')
    if (!clientId) throw invalidClient(ctx, 'client_id missing', false)
    return secretAuth(ctx, clientId, [params.get('client_secret')!], 'client_secret_post')
  }
  if (jwt) return assertionAuth(ctx, params)

  const clientId = params.get('client_id')
  // `basic-ignored`: like the MCP TypeScript SDK, a request without body credentials is malformed.
  if (!clientId && ctx.faults.has('basic-ignored'))
    throw new OAuthHttpError(400, 'invalid_request', 'client_id is required')
  if (!clientId) throw invalidClient(ctx, 'client authentication missing', false)
  const found = await lookupClient(ctx, clientId)
  if (!found.ok) throw invalidClient(ctx, found.description, false)
  const client = found.client
  if (client.kind === 'cimd' && ctx.faults.has('cimd-code-not-redeemed'))
    throw invalidClient(ctx, 'a client_id URL client cannot authenticate here', false)
  const method = enforcedMethod(ctx, client)
  if (method !== 'none' && !ctx.faults.has('confidential-no-auth')) {
    throw invalidClient(ctx, `client must authenticate with ${method}`, false)
  }
  return { client, method: 'none' }
}

/**
 * `basic-ignored`: the Authorization header of a dynamically registered client is never read (the
 * MCP TypeScript SDK reads only body credentials). Configured clients (the IAT client) keep Basic.
 */
async function basicOfDynamicClient(ctx: ServerContext, header: string): Promise<boolean> {
  const ids = decodeBasic(header)?.ids ?? []
  for (const id of ids) if ((await ctx.store.getClient(id))?.kind === 'dynamic') return true
  return false
}

async function secretAuth(
  ctx: ServerContext,
  clientId: string,
  secrets: string[],
  method: 'client_secret_basic' | 'client_secret_post',
): Promise<AuthenticatedClient> {
  const basicUsed = method === 'client_secret_basic'
  if (method === 'client_secret_post' && ctx.faults.has('secret-post-broken'))
    throw invalidClient(ctx, 'client authentication failed', false)
  const client = await clientById(ctx, clientId)
  if (!client && ctx.faults.has('unknown-client-invalid-request'))
    throw new OAuthHttpError(400, 'invalid_request', `unknown client ${clientId}`)
  if (!client || !secrets.some((secret) => secretMatches(client, secret, ctx)))
    throw invalidClient(ctx, 'client authentication failed', basicUsed)
  const registered = enforcedMethod(ctx, client)
  const secretBased = registered === 'client_secret_basic' || registered === 'client_secret_post'
  // Configured (static) clients accept both secret methods; dynamic clients only the registered one.
  // Policy `tokens.secretMethodsInterchangeable`: a plain OAuth server (no OIDC Core §9 rule).
  const lenient =
    client.kind === 'static' ||
    ctx.faults.has('auth-method-not-enforced') ||
    ctx.config.tokens.secretMethodsInterchangeable === true
  const allowed = registered === method || (lenient && secretBased)
  if (!allowed) throw invalidClient(ctx, `client is registered for ${registered}`, basicUsed)
  return { client, method }
}

async function assertionAuth(ctx: ServerContext, params: Params): Promise<AuthenticatedClient> {
  if (params.get('client_assertion_type') !== jwtBearerAssertionType) {
    throw new OAuthHttpError(
      400,
      'invalid_request',
      `client_assertion_type must be ${jwtBearerAssertionType}`,
    )
  }
  const assertion = params.get('client_assertion')
  if (!assertion) throw new OAuthHttpError(400, 'invalid_request', 'client_assertion missing')
  let claimedId: unknown
  try {
    claimedId = decodeJwt(assertion).sub
  } catch {
    throw invalidClient(ctx, 'client_assertion is not a JWT', false)
  }
  if (typeof claimedId !== 'string') throw invalidClient(ctx, 'client_assertion has no sub', false)
  const client = await clientById(ctx, claimedId)
  if (
    !client ||
    authMethodOf(client) !== 'private_key_jwt' ||
    typeof client.metadata.jwks !== 'object'
  ) {
    throw invalidClient(ctx, 'client is not registered for private_key_jwt', false)
  }
  if (ctx.faults.has('client-assertion-alg-none-accepted') && unsecuredAssertion(assertion))
    return { client, method: 'private_key_jwt' }
  try {
    const { payload } = await jwtVerify(
      assertion,
      createLocalJWKSet(client.metadata.jwks as JSONWebKeySet),
      {
        issuer: claimedId,
        subject: claimedId,
        audience: [
          ctx.endpoints.token_endpoint,
          ctx.endpoints.issuer,
          ctx.endpoints.introspection_endpoint,
          ctx.endpoints.revocation_endpoint,
        ],
        algorithms: [...signingAlgs],
        requiredClaims: ['exp', 'jti'],
      },
    )
    const jti = String(payload.jti)
    const seen = await ctx.store.useToken('assertion_jti', `${claimedId}:${jti}`, ctx.now())
    if (seen) throw new Error('jti replayed')
    await ctx.store.saveToken({
      kind: 'assertion_jti',
      value: `${claimedId}:${jti}`,
      client_id: claimedId,
      scope: '',
      issuedAt: ctx.now(),
      expiresAt: Math.max(ctx.now() + 60, Number(payload.exp) + 60),
    })
  } catch {
    throw invalidClient(ctx, 'client_assertion verification failed', false)
  }
  return { client, method: 'private_key_jwt' }
}

/** The fault: an unsecured JWT (header alg none, RFC 7515 Appendix A.5) is taken as valid. */
function unsecuredAssertion(assertion: string): boolean {
  try {
    return decodeProtectedHeader(assertion).alg === 'none'
  } catch {
    return false
  }
}
