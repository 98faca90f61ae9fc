/**
 * Initial access tokens: an access token with the registration scope (`dcr`), issued to the
 * configured initial clients (client_credentials) or to a user (code flow), valid for one
 * registration. The check that the token is unused and its consumption happen in one atomic store
 * operation.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
import type { IncomingMessage } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import type { ServerContext } from '../context.ts'
import type { TokenRecord } from '../store.ts'
import { bearerError, bearerToken } from '../auth/bearer.ts'
import { OAuthHttpError } from '../http/errors.ts'

/** A checked IAT; `consume()` uses it up (or throws 401 when a concurrent request won). */
export interface InitialAccess {
  consume(): Promise<void>
}

const noToken: InitialAccess = { consume: async () => {} }

function invalidToken(ctx: ServerContext, description: string): OAuthHttpError {
  if (ctx.faults.has('iat-invalid-wrong-error'))
    return new OAuthHttpError(400, 'invalid_client_metadata', description)
  return bearerError('invalid_token', description)
}

/** Whether the token was issued the way the policy's IATs are. */
function issuedAsIat(ctx: ServerContext, record: TokenRecord): boolean {
  const policy = ctx.config.registration
  if (policy.authentication === 'user') return record.sub !== undefined
  return record.grant === 'client_credentials' && policy.initialClients.includes(record.client_id)
}

/**
 * Checks the registration request's IAT (not yet consumed). Throws the RFC 6750 error: 401
 * without error attribute when missing, 401 `invalid_token` when unknown/expired/used,
 * 403 `insufficient_scope` without the registration scope.
 */
export async function checkInitialAccessToken(
  ctx: ServerContext,
  req: IncomingMessage,
  query: URLSearchParams,
): Promise<InitialAccess> {
  const policy = ctx.config.registration
  if (policy.authentication === 'none' && !ctx.faults.has('open-registration-requires-token'))
    return noToken
  const token = bearerToken(req, query, ctx.faults.has('iat-in-query-accepted'))
  if (token === undefined) {
    if (ctx.faults.has('iat-not-required')) return noToken
    const error = bearerError('missing', 'an initial access token is required')
    if (ctx.faults.has('iat-missing-no-challenge')) delete error.headers['www-authenticate']
    throw error
  }
  if (policy.staticInitialAccessToken !== undefined && token === policy.staticInitialAccessToken)
    return noToken

  const record = await ctx.store.getToken('access_token', token)
  if (!record || (record.usedAt !== undefined && !ctx.faults.has('iat-reusable'))) {
    throw invalidToken(ctx, 'the initial access token is unknown, expired or already used')
  }
  const hasScope = record.scope.split(' ').includes(policy.iatScope)
  if (!ctx.faults.has('iat-scope-ignored')) {
    if (!issuedAsIat(ctx, record))
      throw invalidToken(ctx, 'the token is not an initial access token')
    if (!hasScope)
      throw bearerError(
        'insufficient_scope',
        `the token lacks the ${policy.iatScope} scope`,
        policy.iatScope,
      )
  }

  return {
    consume: async () => {
      if (ctx.faults.has('iat-reusable')) return
      if (ctx.faults.has('iat-race')) {
        // The defect: the "unused" check above and the write below are separated by a yield.
        await delay(ctx.config.iatRaceWindowMs)
        await ctx.store.useToken('access_token', token, ctx.now())
        return
      }
      const before = await ctx.store.useToken('access_token', token, ctx.now())
      if (!before || before.usedAt !== undefined) {
        throw invalidToken(ctx, 'the initial access token is unknown, expired or already used')
      }
    },
  }
}
