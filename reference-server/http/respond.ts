/** Response writers: JSON, OAuth errors, HTML, redirects. Every body is bounded and typed. */
import type { ServerResponse } from 'node:http'

/** Headers for responses that carry credentials or tokens (RFC 6749 §5.1). */
export const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' } as const

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

/**
 * An `error_description` limited to the RFC 6749 §5.2 character set (%x20-21 / %x23-5B /
 * %x5D-7E): double quotes become single quotes, backslashes slashes, anything else `?`.
 */
export function safeDescription(text: string): string {
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?')
}

/**
 * An OAuth error body `{error, error_description}`.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
export function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): void {
  sendJson(
    res,
    status,
    { error, error_description: safeDescription(description) },
    { ...noStore, ...headers },
  )
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

/** Anti-framing and no-cache headers for every HTML page (RFC 9700 §4.16). */
export const htmlSecurityHeaders = {
  'x-frame-options': 'DENY',
  'content-security-policy':
    "frame-ancestors 'none'; default-src 'self'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
} as const

export function sendHtml(
  res: ServerResponse,
  status: number,
  html: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
    ...headers,
  })
  res.end(html)
}

/** A small HTML page. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>${escapeHtml(title)}</h1>
${body}
</main></body></html>
`
}

export function redirect(
  res: ServerResponse,
  status: 302 | 303 | 307,
  location: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, { location, 'content-length': 0, 'cache-control': 'no-store', ...headers })
  res.end()
}
