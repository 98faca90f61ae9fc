/**
 * The browser's arrival at a foreign redirect URI (one that is not our callback server: a
 * client's hosted URI such as `https://rp.harness.test/cb`, or a loopback one on another port),
 * answered in the browser as the arrival at our callback is (callback-intercept.ts). Document
 * requests to the redirect URI's origin are paused before they are sent; the one to the redirect
 * URI itself is answered with the same empty 204 and the others go on. So the harness does not
 * deliver an authorization code to a host it does not own, and the page neither commits
 * Chromium's error page for a host that does not resolve nor has to be replaced afterwards. The
 * arrival itself is recorded from Chromium's request (page-watch.ts `foreignRedirect`).
 */
import type { RequestPattern } from './paused-request.ts'

/** CDP's wildcards (`*`, `?`) and its escape character, escaped in a literal URL. */
const escapeWildcards = (url: string): string => url.replace(/[\\*?]/g, '\\$&')

/**
 * The pattern pausing document requests to the redirect URI's origin: wider than the URI, so
 * that no difference between how Chromium and the URL standard write a path lets the arrival
 * through unpaused (oauth/redirect-uri.ts `isRedirectTo` then picks it). Undefined when the URI
 * does not parse.
 */
export function foreignPattern(redirectUri: string): RequestPattern | undefined {
  let origin: string
  try {
    const url = new URL(redirectUri)
    origin = `${url.protocol}//${url.host}`
  } catch {
    return undefined
  }
  const urlPattern = `${escapeWildcards(origin)}/*`
  return { urlPattern, resourceType: 'Document', requestStage: 'Request' }
}
