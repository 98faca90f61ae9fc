/**
 * Completing an authorization: the login session and the authorization code (single use,
 * short-lived, bound to client, redirect URI, PKCE challenge and nonce).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import type { TokenRecord } from '../store.ts'
import { readCookie } from '../http/cookies.ts'
import { escapeHtml, page, redirect } from '../http/respond.ts'
import { randomToken } from '../random.ts'
import type { AuthorizationRequest } from './request.ts'
import { pageHeaders, responseLocation } from './responses.ts'

export const sessionCookie = 'dcr_session'
const sessionTtl = 3600

export interface Session {
  account: string
  authTime: number
}

export async function currentSession(
  ctx: ServerContext,
  req: IncomingMessage,
): Promise<Session | undefined> {
  const value = readCookie(req, sessionCookie)
  if (!value) return undefined
  const record = await ctx.store.getToken('session', value)
  if (!record?.sub || record.authTime === undefined) return undefined
  return { account: record.sub, authTime: record.authTime }
}

/** The cookie that binds a pending login to the browser that started it (login CSRF). */
export function interactionCookieName(interaction: string): string {
  return `dcr_login_${interaction.slice(0, 12)}`
}

export function interactionCookie(interaction: string, secure: boolean, maxAge: number): string {
  return `${interactionCookieName(interaction)}=${interaction}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}; Max-Age=${maxAge}`
}

/** Starts a login session and returns its Set-Cookie header value. */
export async function startSession(
  ctx: ServerContext,
  account: string,
  secure: boolean,
): Promise<string> {
  const value = randomToken()
  const now = ctx.now()
  await ctx.store.saveToken({
    kind: 'session',
    value,
    client_id: '',
    scope: '',
    sub: account,
    authTime: now,
    issuedAt: now,
    expiresAt: now + sessionTtl,
  })
  return `${sessionCookie}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}; Max-Age=${sessionTtl}`
}

/** Issues the code and redirects the browser back to the client. */
export async function issueCodeAndRedirect(
  ctx: ServerContext,
  res: ServerResponse,
  request: AuthorizationRequest,
  session: Session,
  status: 302 | 303 | 307,
  extraHeaders: Record<string, string | string[]> = {},
): Promise<void> {
  const location = await issueCode(ctx, request, session)
  redirect(res, status, location, { ...pageHeaders(ctx), ...extraHeaders })
}

/**
 * Issues the code and sends the browser back to the client by a page: a form that submits itself
 * (GET) to the redirect URI with the response parameters (policy `authorize.afterLogin: page`).
 */
export async function issueCodeByPage(
  ctx: ServerContext,
  res: ServerResponse,
  request: AuthorizationRequest,
  session: Session,
  extraHeaders: Record<string, string | string[]> = {},
): Promise<void> {
  const location = new URL(await issueCode(ctx, request, session))
  const fields = [...location.searchParams]
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('\n')
  location.search = ''
  const nonce = randomToken(12)
  const html = page(
    'Signed in',
    `<form method="get" action="${escapeHtml(location.href)}">
${fields}
<p><button type="submit">Continue</button></p>
</form>
<script nonce="${nonce}">document.forms[0].submit()</script>`,
  )
  const headers = pageHeaders(ctx)
  if (headers['content-security-policy'] !== undefined)
    headers['content-security-policy'] += `; script-src 'nonce-${nonce}'`
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...headers,
    ...extraHeaders,
  })
  res.end(html)
}

/** Store a code for the request and return the redirect URI with the response parameters. */
async function issueCode(
  ctx: ServerContext,
  request: AuthorizationRequest,
  session: Session,
): Promise<string> {
  const now = ctx.now()
  const code: TokenRecord = {
    kind: 'authorization_code',
    value: randomToken(),
    client_id: request.client_id,
    scope: request.scope,
    sub: session.account,
    authTime: session.authTime,
    grantId: randomToken(12),
    redirectUri: request.redirect_uri,
    redirectUriSent: request.redirect_uri_sent,
    issuedAt: now,
    expiresAt: now + ctx.config.tokens.codeTtl,
  }
  if (request.nonce !== undefined) code.nonce = request.nonce
  if (request.resource !== undefined) code.data = { resource: request.resource }
  if (request.code_challenge !== undefined) {
    code.codeChallenge = request.code_challenge
    code.codeChallengeMethod = request.code_challenge_method ?? 'plain'
  }
  await ctx.store.saveToken(code)
  return responseLocation(ctx, request.redirect_uri, { code: code.value }, request.state)
}
