/**
 * POST /oauth/v2/oauth-introspect: token introspection for authenticated clients.
 * @see https://www.rfc-editor.org/rfc/rfc7662#section-2
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { authenticateClient } from '../auth/client-auth.ts'
import { readForm } from '../http/body.ts'
import { OAuthHttpError } from '../http/errors.ts'
import { noStore, sendJson } from '../http/respond.ts'

export async function introspectHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readForm(req, ctx.config.limits.bodyBytes)
  await authenticateClient(ctx, req, params)
  const token = params.get('token')
  if (!token) throw new OAuthHttpError(400, 'invalid_request', 'token is required')
  const hint = params.get('token_type_hint')
  const kinds =
    hint === 'refresh_token'
      ? (['refresh_token', 'access_token'] as const)
      : (['access_token', 'refresh_token'] as const)
  for (const kind of kinds) {
    const record = await ctx.store.getToken(kind, token)
    if (!record) continue
    const body: Record<string, unknown> = {
      active: true,
      scope: record.scope,
      client_id: record.client_id,
      token_type: kind === 'access_token' ? 'Bearer' : 'refresh_token',
      exp: record.expiresAt,
      iat: record.issuedAt,
      iss: ctx.endpoints.issuer,
    }
    if (record.sub) body.sub = record.sub
    return sendJson(res, 200, body, { ...noStore })
  }
  sendJson(res, 200, { active: false }, { ...noStore })
}
