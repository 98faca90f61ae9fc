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
import {
  bearerError,
  bearerToken,
  challengeDroppedUnder,
  missingTokenError,
} from '../auth/bearer.ts'
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
 * The IAT of a registration request under the `queryToken` policy: by default (`refuse`) any
 * query token gets 400 invalid_request (RFC 6750 §2.3 makes the query method optional); `accept`
 * supports it, but a request that uses it together with the header is refused (RFC 6750 §3.1);
 * `ignore` does not read the query at all. The `iat-in-query-accepted` fault accepts the query token even together with the header.
 */
function registrationBearer(
  ctx: ServerContext,
  req: IncomingMessage,
  query: URLSearchParams,
): string | undefined {
  if (ctx.faults.has('iat-in-query-accepted')) return bearerToken(req, query, true)
  const policy = ctx.config.registration.queryToken ?? 'refuse'
  if (policy === 'ignore') return bearerToken(req, new URLSearchParams(), false)
  if (policy === 'accept') {
    if (query.has('access_token') && req.headers.authorization !== undefined) {
      throw new OAuthHttpError(400, 'invalid_request', 'the token was sent by more than one method', {
        'www-authenticate': 'Bearer realm="oauth", error="invalid_request"',
      })
    }
    return bearerToken(req, query, true)
  }
  return bearerToken(req, query, false)
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
  const token = registrationBearer(ctx, req, query)
  if (token === undefined) {
    if (ctx.faults.has('iat-not-required')) return noToken
    const error = missingTokenError(ctx.faults, 'an initial access token is required')
    throw challengeDroppedUnder(ctx.faults, 'iat-missing-no-challenge', error)
  }
  if (ctx.faults.has('iat-never-accepted')) throw invalidToken(ctx, 'the token is not accepted')
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
    if (!hasScope) {
      const why = `the token lacks the ${policy.iatScope} scope`
      const error = bearerError('insufficient_scope', why, policy.iatScope)
      throw challengeDroppedUnder(ctx.faults, 'insufficient-scope-no-challenge', error)
    }
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
