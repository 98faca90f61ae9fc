/**
 * POST /oauth/v2/oauth-authorize/login: the login form. On success a session cookie is set and
 * the browser goes back to the client with 303 (never 307, which would replay the password).
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { secretsEqual } from '../auth/client-auth.ts'
import { readForm } from '../http/body.ts'
import { readCookie } from '../http/cookies.ts'
import { sendHtml } from '../http/respond.ts'
import {
  interactionCookieName,
  issueCodeAndRedirect,
  issueCodeByPage,
  startSession,
} from '../authorize/complete.ts'
import { clientDisplayName, loginPage } from '../authorize/login-page.ts'
import type { AuthorizationRequest } from '../authorize/request.ts'
import { pageHeaders, sendErrorPage } from '../authorize/responses.ts'
import { clientById } from '../cimd/lookup-client.ts'

export async function loginHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const params = await readForm(req, ctx.config.limits.bodyBytes)
  const interaction = params.get('interaction')
  const pending = interaction ? await ctx.store.getToken('interaction', interaction) : undefined
  if (!interaction || !pending?.data)
    return sendErrorPage(
      ctx,
      res,
      'invalid_request',
      'the login attempt expired or is unknown; start again',
    )
  if (readCookie(req, interactionCookieName(interaction)) !== interaction) {
    // Login CSRF: the form must come from the browser the authorization request started in.
    return sendErrorPage(
      ctx,
      res,
      'invalid_request',
      'the login attempt belongs to another browser; start again',
    )
  }
  const username = params.get('username') ?? ''
  const password = params.get('password') ?? ''
  const user = ctx.config.users.find((u) => u.username === username)
  if (!user || !secretsEqual(user.password, password)) {
    const client = await clientById(ctx, pending.client_id)
    const name = client ? clientDisplayName(client) : pending.client_id
    return sendHtml(
      res,
      200,
      loginPage(interaction, name, 'Invalid username or password.'),
      pageHeaders(ctx),
    )
  }
  await ctx.store.deleteToken('interaction', interaction)
  const secure = ctx.origin.startsWith('https:')
  const cookie = await startSession(ctx, user.username, secure)
  const request = pending.data.request as AuthorizationRequest
  const cookies = [cookie, `${interactionCookieName(interaction)}=; Path=/; Max-Age=0`]
  const session = { account: user.username, authTime: ctx.now() }
  const after = ctx.config.authorize.afterLogin
  if (after === 'page' && !ctx.faults.has('login-307'))
    return issueCodeByPage(ctx, res, request, session, { 'set-cookie': cookies })
  const status = ctx.faults.has('login-307') ? 307 : after === 'redirect-302' ? 302 : 303
  await issueCodeAndRedirect(
    ctx,
    res,
    request,
    session,
    status,
    { 'set-cookie': cookies },
  )
}
