/**
 * POST /oauth/v2/oauth-revoke: token revocation (a refresh token takes its grant with it).
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { authenticateClient } from '../auth/client-auth.ts'
import { readForm } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { noStore } from '../http/respond.ts'

export async function revokeHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readForm(req, ctx.config.limits.bodyBytes)
  const { client } = await authenticateClient(ctx, req, params)
  const token = params.get('token')
  if (!token) throw new OAuthHttpError(400, 'invalid_request', 'token is required')
  for (const kind of ['access_token', 'refresh_token'] as const) {
    const record = await ctx.store.getToken(kind, token)
    if (!record || record.client_id !== client.client_id) continue
    if (kind === 'refresh_token' && record.grantId) await ctx.store.revokeGrant(record.grantId)
    else await ctx.store.deleteToken(kind, token)
  }
  res.writeHead(200, { 'content-length': 0, ...noStore })
  res.end()
}
