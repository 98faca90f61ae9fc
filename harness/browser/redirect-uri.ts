/**
 * Comparing a URL the server sent the browser to with the redirect URI of the request.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2
 */

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
    into[name] = value
  }
}
