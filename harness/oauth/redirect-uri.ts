/**
 * Comparing a URL the server sent the browser to with the redirect URI of the request.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2
 */
import type { Exchange } from '../model/result.ts'
import { setOwnMember } from '../own-member.ts'

/** `scheme://host/path` of a URL (query and fragment dropped); undefined when it does not parse. */
export function redirectTarget(url: string): string | undefined {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`
  } catch {
    return undefined
  }
}

/** Whether `url` is the redirect URI (same scheme, host, port and path; query may differ). */
export function isRedirectTo(url: string, redirectUri: string): boolean {
  const target = redirectTarget(url)
  return target !== undefined && target === redirectTarget(redirectUri)
}

/**
 * The response parameters of a redirect: the query, then the fragment (fragment wins on a
 * duplicate name, as `response_mode=fragment` puts them there).
 * @see https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html#ResponseModes
 */
export function responseParameters(url: string): Record<string, string> {
  const parsed = new URL(url)
  const parameters: Record<string, string> = {}
  addParameters(parameters, parsed.searchParams)
  if (parsed.hash.length > 1) addParameters(parameters, new URLSearchParams(parsed.hash.slice(1)))
  return parameters
}

/** Add each parameter once (the first occurrence of a repeated name wins). */
export function addParameters(into: Record<string, string>, params: URLSearchParams): void {
  const seen = new Set<string>()
  for (const [name, value] of params) {
    if (seen.has(name)) continue
    seen.add(name)
    setOwnMember(into, name, value)
  }
}

/** The value of a header, whatever the case of its name. */
function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name)
  return key === undefined ? undefined : headers[key]
}

/**
 * The HTTP status of the last recorded response whose `Location` sent the user agent to the
 * redirect URI (302 or 303 after a login form POST; a 307 would make the browser re-POST the
 * credentials there). Undefined when the user agent got there otherwise (a form_post page, a
 * script) or never did.
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.12
 */
export function redirectStatusOf(
  exchanges: readonly Exchange[],
  redirectUri: string,
): number | undefined {
  for (const exchange of [...exchanges].reverse()) {
    const response = exchange.response
    if (!response || response.status < 300 || response.status >= 400) continue
    const location = headerValue(response.headers, 'location')
    if (location === undefined) continue
    let target: string
    try {
      target = new URL(location, exchange.request.url).href
    } catch {
      continue
    }
    if (isRedirectTo(target, redirectUri)) return response.status
  }
  return undefined
}
