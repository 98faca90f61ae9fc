/**
 * Issuing opaque tokens: access tokens, refresh tokens, authorization codes and registration
 * access tokens, all random strings whose state lives in the store.
 */
import type { ServerContext } from '../context.ts'
import type { ClientRecord, TokenRecord } from '../store.ts'
import { numberOf } from '../client.ts'
import { randomToken } from '../random.ts'

export interface IssuedAccessToken {
  record: TokenRecord
  expiresIn: number
}

/** Lifetime of an access token: IAT lifetime for `dcr`, else the client's `access_token_ttl`. */
function accessTokenTtl(ctx: ServerContext, client: ClientRecord, scope: string): number {
  if (scope.split(' ').includes(ctx.config.registration.iatScope)) return ctx.config.tokens.iatTtl
  const registered = numberOf(client, 'access_token_ttl')
  if (registered !== undefined && registered > 0 && !ctx.faults.has('access-token-ttl-ignored'))
    return registered
  return ctx.config.tokens.accessTokenTtl
}

export async function issueAccessToken(
  ctx: ServerContext,
  client: ClientRecord,
  fields: {
    scope: string
    grant: string
    sub?: string
    grantId?: string
    authTime?: number
    /** `{ resource }`: the audience (RFC 8707) the MCP servers check. */
    data?: Record<string, unknown>
  },
): Promise<IssuedAccessToken> {
  const now = ctx.now()
  const expiresIn = accessTokenTtl(ctx, client, fields.scope)
  const record: TokenRecord = {
    kind: 'access_token',
    value: randomToken(),
    client_id: client.client_id,
    issuedAt: now,
    expiresAt: now + expiresIn,
    ...fields,
  }
  await ctx.store.saveToken(record)
  return { record, expiresIn }
}

export async function issueRefreshToken(
  ctx: ServerContext,
  client: ClientRecord,
  ttl: number,
  fields: {
    scope: string
    sub?: string
    grantId: string
    authTime?: number
    nonce?: string
    data?: Record<string, unknown>
  },
): Promise<TokenRecord> {
  const now = ctx.now()
  const record: TokenRecord = {
    kind: 'refresh_token',
    value: randomToken(),
    client_id: client.client_id,
    issuedAt: now,
    expiresAt: now + ttl,
    grant: 'refresh_token',
    ...fields,
  }
  await ctx.store.saveToken(record)
  return record
}

/** A new registration access token for a client (RFC 7592 §3). */
export async function issueRegistrationAccessToken(
  ctx: ServerContext,
  clientId: string,
): Promise<TokenRecord> {
  const now = ctx.now()
  const record: TokenRecord = {
    kind: 'registration_access_token',
    value: randomToken(),
    client_id: clientId,
    scope: '',
    issuedAt: now,
    expiresAt: now + ctx.config.registration.registrationAccessTokenTtl,
  }
  await ctx.store.saveToken(record)
  return record
}
