/**
 * GET /oauth/v2/oauth-anonymous/jwks: the public signing keys.
 * @see https://openid.net/specs/openid-connect-core-1_0.html#SigningOrder
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { sendJson } from '../http/respond.ts'

export async function jwksHandler(
  ctx: ServerContext,
  _req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const jwks = ctx.faults.has('jwks-private-key-leak') ? ctx.keys.leakedJwks() : ctx.keys.jwks()
  sendJson(res, 200, jwks, {
    'cache-control': 'public, max-age=60',
    'access-control-allow-origin': '*',
  })
}
