/**
 * GET|POST /oauth/v2/oauth-userinfo: claims about the user, as JSON or (when the client
 * registered `userinfo_signed_response_alg`) a signed JWT.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#UserInfo
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { SignJWT } from 'jose'
import type { ServerContext } from '../context.ts'
import { bearerError, bearerToken } from '../auth/bearer.ts'
import { stringOf } from '../client.ts'
import { readBody } from '../http/body.ts'
import { noStore, sendJson } from '../http/respond.ts'
import { subjectFor } from '../tokens/subject.ts'
import { clientById } from '../cimd/lookup-client.ts'

const claimsByScope: Record<string, string[]> = {
  profile: ['name', 'given_name', 'family_name'],
  email: ['email', 'email_verified'],
  phone: ['phone_number', 'phone_number_verified'],
  address: ['address'],
}

export async function userinfoHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  if (req.method === 'POST') await readBody(req, ctx.config.limits.bodyBytes)
  const token = bearerToken(req, url.searchParams)
  if (token === undefined) throw bearerError('missing', 'an access token is required')
  const record = await ctx.store.getToken('access_token', token)
  if (!record) throw bearerError('invalid_token', 'the access token is unknown or expired')
  const scopes = record.scope.split(' ')
  if (!record.sub || !scopes.includes('openid'))
    throw bearerError('insufficient_scope', 'the token has no openid scope', 'openid')
  const client = await clientById(ctx, record.client_id)
  if (!client) throw bearerError('invalid_token', 'the client no longer exists')
  const user = ctx.config.users.find((u) => u.username === record.sub)
  const sub = subjectFor(ctx, client, record.sub)
  const claims: Record<string, unknown> = {
    sub: ctx.faults.has('userinfo-sub-mismatch') ? `${sub}-other` : sub,
  }
  for (const scope of scopes) {
    for (const name of claimsByScope[scope] ?? []) {
      const value = user?.claims?.[name]
      if (value !== undefined) claims[name] = value
    }
  }
  const alg = stringOf(client, 'userinfo_signed_response_alg')
  const key = alg ? ctx.keys.get(alg) : undefined
  if (key && !ctx.faults.has('userinfo-jwt-ignored')) {
    const jwt = await new SignJWT(claims)
      .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
      .setIssuer(ctx.endpoints.issuer)
      .setAudience(client.client_id)
      .setIssuedAt(ctx.now())
      .sign(key.privateKey)
    res.writeHead(200, {
      'content-type': 'application/jwt',
      'content-length': Buffer.byteLength(jwt),
      ...noStore,
    })
    res.end(jwt)
    return
  }
  sendJson(res, 200, claims, { ...noStore })
}
