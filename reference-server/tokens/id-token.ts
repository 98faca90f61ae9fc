/**
 * ID tokens signed with jose: RS256 by default, the client's `id_token_signed_response_alg`
 * otherwise.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#IDToken
 * @see https://openid.net/specs/openid-connect-core-1_0.html#CodeIDToken
 */
import { createHash } from 'node:crypto'
import { SignJWT } from 'jose'
import type { ServerContext } from '../context.ts'
import type { ClientRecord } from '../store.ts'
import { stringOf } from '../client.ts'
import { subjectFor } from './subject.ts'

/** Left half of the SHA-256 of the access token, base64url (all supported algs use SHA-256). */
export function atHash(accessToken: string): string {
  const hash = createHash('sha256').update(accessToken, 'ascii').digest()
  return hash.subarray(0, hash.length / 2).toString('base64url')
}

export function idTokenAlgFor(ctx: ServerContext, client: ClientRecord): string {
  const registered = stringOf(client, 'id_token_signed_response_alg')
  if (!registered || ctx.faults.has('id-token-alg-ignored') || !ctx.keys.get(registered))
    return 'RS256'
  return registered
}

export async function signIdToken(
  ctx: ServerContext,
  client: ClientRecord,
  fields: { account: string; authTime?: number; nonce?: string; accessToken?: string },
): Promise<string> {
  const alg = idTokenAlgFor(ctx, client)
  const key = ctx.keys.get(alg)!
  const now = ctx.now()
  const expired = ctx.faults.has('id-token-expired')
  const claims: Record<string, unknown> = {
    sub: subjectFor(ctx, client, fields.account),
    azp: client.client_id,
  }
  const authTimeWanted =
    !ctx.config.tokens.authTimeOnlyWhenRequired ||
    client.metadata.require_auth_time === true ||
    typeof client.metadata.default_max_age === 'number'
  if (fields.authTime !== undefined && authTimeWanted && !ctx.faults.has('auth-time-missing'))
    claims.auth_time = fields.authTime
  if (fields.nonce !== undefined && !ctx.faults.has('id-token-nonce-missing'))
    claims.nonce = fields.nonce
  if (fields.accessToken !== undefined) {
    claims.at_hash = ctx.faults.has('id-token-at-hash-wrong')
      ? atHash(fields.accessToken + 'x')
      : atHash(fields.accessToken)
  }
  const header = ctx.faults.has('id-token-kid-missing')
    ? { alg, typ: 'JWT' }
    : { alg, typ: 'JWT', kid: key.kid }
  return new SignJWT(claims)
    .setProtectedHeader(header)
    .setIssuer(ctx.endpoints.issuer)
    .setAudience(ctx.faults.has('id-token-aud-wrong') ? ctx.endpoints.issuer : client.client_id)
    .setIssuedAt(expired ? now - 7200 : now)
    .setExpirationTime(expired ? now - 3600 : now + ctx.config.tokens.idTokenTtl)
    .sign(key.privateKey)
}
