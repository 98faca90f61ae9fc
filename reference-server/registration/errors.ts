/**
 * Registration error responses: 400 JSON `{error, error_description}`, never cached.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.2
 */
import type { ServerResponse } from 'node:http'
import type { ServerContext } from '../context.ts'
import { escapeHtml, noStore, page, safeDescription, sendHtml, sendJson } from '../http/respond.ts'
import type { MetadataError } from './metadata-error.ts'

export function sendRegistrationError(
  ctx: ServerContext,
  res: ServerResponse,
  error: MetadataError,
): void {
  const f = ctx.faults
  let code: string = error.code
  if (code === 'invalid_redirect_uri' && ctx.config.registration.redirectUriErrorCode)
    code = ctx.config.registration.redirectUriErrorCode
  if (
    f.has('wrong-error-code') &&
    (code === 'invalid_redirect_uri' || code === 'invalid_client_metadata')
  )
    code = 'invalid_request'
  // RFC 7591 §3.2.2 asks only for ASCII text; plainErrorDescriptions keeps quotes and backslashes.
  let description = ctx.config.registration.plainErrorDescriptions
    ? error.message.replace(/[^\x20-\x7e]/g, '?')
    : safeDescription(error.message)
  if (f.has('error-description-non-ascii')) description += ' (ungültig)'
  const status = f.has('error-200') ? 200 : 400
  const cacheHeaders: Record<string, string> =
    ctx.config.registration.noStoreOnErrors === false ? {} : { ...noStore }
  if (f.has('error-html')) {
    sendHtml(
      res,
      status,
      page('Registration failed', `<p>${escapeHtml(code)}: ${escapeHtml(description)}</p>`),
      cacheHeaders,
    )
    return
  }
  sendJson(res, status, { error: code, error_description: description }, cacheHeaders)
}
