/**
 * Authorization responses: redirects carrying `state` and `iss` (RFC 9207) on success and error,
 * and the HTML error page used when the redirect URI cannot be trusted.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @see https://www.rfc-editor.org/rfc/rfc9207#section-2
 */
import type { ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { escapeHtml, htmlSecurityHeaders, page, redirect, sendHtml } from '../http/respond.ts'
import { paths } from '../paths.ts'

/** Headers of every authorization-endpoint and login page response. */
export function pageHeaders(ctx: ServerContext): Record<string, string> {
  const headers: Record<string, string> = ctx.faults.has('framing-allowed')
    ? { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' }
    : { ...htmlSecurityHeaders }
  if (ctx.faults.has('authorize-cors')) headers['access-control-allow-origin'] = '*'
  return headers
}

/** The redirect target with the response parameters appended (existing query kept). */
export function responseLocation(
  ctx: ServerContext,
  redirectUri: string,
  params: Record<string, string | undefined>,
  state: string | undefined,
): string {
  const url = new URL(redirectUri)
  if (ctx.faults.has('redirect-query-dropped')) url.search = ''
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.append(name, value)
  if (state !== undefined && !ctx.faults.has('state-dropped'))
    url.searchParams.append('state', state)
  if (!ctx.faults.has('iss-missing')) url.searchParams.append('iss', ctx.endpoints.issuer)
  return url.href
}

export function redirectWithError(
  ctx: ServerContext,
  res: ServerResponse,
  redirectUri: string,
  error: string,
  description: string,
  state: string | undefined,
  status: 302 | 303 = 302,
): void {
  redirect(
    res,
    status,
    responseLocation(ctx, redirectUri, { error, error_description: description }, state),
    pageHeaders(ctx),
  )
}

/**
 * Refuse a request whose client or redirect URI cannot be trusted, by the policy
 * `authorize.errorPage`: the error page with 400 or 200, or a 302 to the server's own error page.
 * Never a redirect to the requested redirect URI (RFC 6749 §4.1.2.1).
 */
export function refuseUntrusted(
  ctx: ServerContext,
  res: ServerResponse,
  error: string,
  description: string,
): void {
  const style = ctx.config.authorize.errorPage
  if (style === 'status-200') return sendErrorPage(ctx, res, error, description, 200)
  if (style === 'redirect-own-page') {
    const own = new URL(paths.authorizeError, ctx.origin)
    own.searchParams.set('error', error)
    own.searchParams.set('error_description', description)
    return redirect(res, 302, own.href, pageHeaders(ctx))
  }
  return sendErrorPage(ctx, res, error, description)
}

/** GET of the server's own error page (policy `authorize.errorPage: redirect-own-page`). */
export async function errorPageHandler(
  ctx: ServerContext,
  _req: unknown,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  const error = url.searchParams.get('error') ?? 'invalid_request'
  const description = url.searchParams.get('error_description') ?? ''
  sendErrorPage(ctx, res, error, description, 200)
}

/** An error shown by the server itself (never a redirect to an untrusted URI). */
export function sendErrorPage(
  ctx: ServerContext,
  res: ServerResponse,
  error: string,
  description: string,
  status = 400,
): void {
  const body = `<p class="error" data-error="${escapeHtml(error)}"><strong>${escapeHtml(error)}</strong></p>
<p>${escapeHtml(description)}</p>`
  sendHtml(res, status, page('Authorization error', body), pageHeaders(ctx))
}
