/**
 * GET|POST /oauth/v2/oauth-authorize: validates the request, then either completes it with the
 * current login session or shows the login page.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { readForm, toParams } from '../http/body.ts'
import { sendHtml } from '../http/respond.ts'
import { randomToken } from '../random.ts'
import { currentSession, interactionCookie, issueCodeAndRedirect } from '../authorize/complete.ts'
import { clientDisplayName, loginPage } from '../authorize/login-page.ts'
import { checkAuthorizationRequest } from '../authorize/request.ts'
import { pageHeaders, redirectWithError, refuseUntrusted } from '../authorize/responses.ts'

const interactionTtl = 600

export async function authorizeHandler(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const params =
    req.method === 'POST'
      ? await readForm(req, ctx.config.limits.bodyBytes)
      : toParams(url.searchParams)
  const check = await checkAuthorizationRequest(ctx, params)
  if (check.kind === 'page') return refuseUntrusted(ctx, res, check.error, check.description)
  if (check.kind === 'redirect')
    return redirectWithError(
      ctx,
      res,
      check.redirectUri,
      check.error,
      check.description,
      check.state,
    )

  const { client, request } = check
  const session = await currentSession(ctx, req)
  // max_age=0 always asks for a new login (OIDC Core §3.1.2.1).
  const fresh =
    session && (request.max_age === undefined || ctx.now() - session.authTime < request.max_age)
  if (session && fresh && !request.prompt.includes('login')) {
    return issueCodeAndRedirect(ctx, res, request, session, 302)
  }
  // Policy `authorize.approveWithoutPage`: approved at once, no login or consent page.
  const ambient = ctx.config.authorize.approveWithoutPage
  if (ambient !== undefined && !request.prompt.includes('login')) {
    return issueCodeAndRedirect(ctx, res, request, { account: ambient, authTime: ctx.now() }, 302)
  }
  if (request.prompt.includes('none')) {
    return redirectWithError(
      ctx,
      res,
      request.redirect_uri,
      'login_required',
      'the user is not logged in',
      request.state,
    )
  }
  const interaction = randomToken()
  const now = ctx.now()
  await ctx.store.saveToken({
    kind: 'interaction',
    value: interaction,
    client_id: client.client_id,
    scope: request.scope,
    issuedAt: now,
    expiresAt: now + interactionTtl,
    data: { request },
  })
  const shown = clientDisplayName(client)
  const cookie = interactionCookie(interaction, ctx.origin.startsWith('https:'), interactionTtl)
  sendHtml(res, 200, loginPage(interaction, shown), { ...pageHeaders(ctx), 'set-cookie': cookie })
}
