/**
 * GET /oauth/v2/oauth-anonymous/jwks: the public signing keys.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SigningOrder
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import type { JWK } from 'jose'
import { sendJson } from '../http/respond.ts'

export async function jwksHandler(
  ctx: ServerContext,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  let jwks = ctx.faults.has('jwks-private-key-leak') ? ctx.keys.leakedJwks() : ctx.keys.jwks()
  if (ctx.faults.has('jwks-use-missing')) jwks = mixedWithoutUse(jwks)
  sendJson(res, 200, jwks, {
    'cache-control': 'public, max-age=60',
    'access-control-allow-origin': '*',
  })
}

/**
 * Fault `jwks-use-missing`: an encryption key is published beside the signing keys, which no
 * longer state their `use` (OIDC Discovery §3 requires it on every key when both occur).
 */
function mixedWithoutUse(jwks: { keys: JWK[] }): { keys: JWK[] } {
  const signing = jwks.keys.map(({ use: _use, ...key }) => key)
  const first = jwks.keys[0]
  if (!first) return { keys: signing }
  const kid = `${first.kid ?? 'key'}-enc`
  const encryption: JWK = { ...first, kid, use: 'enc', alg: 'RSA-OAEP-256' }
  return { keys: [...signing, encryption] }
}
