/**
 * The browser's arrival at a foreign redirect URI (one that is not our callback server: a
 * client's hosted URI such as `https://rp.harness.test/cb`, or a loopback one on another port),
 * answered in the browser as the arrival at our callback is (callback-intercept.ts). Chromium's
 * request is paused before it is sent and answered with the same empty 204, so the harness never
 * delivers an authorization code to a host it does not own, and the page neither commits
 * Chromium's error page for a host that does not resolve nor has to be replaced afterwards. The
 * arrival itself is recorded from Chromium's request (page-watch.ts `foreignRedirect`).
 */
import { isRedirectTo, redirectTarget } from '../oauth/redirect-uri.ts'
import type { PausedRequest } from './paused-request.ts'

/** A CDP Fetch pattern pausing document requests before they are sent. */
export interface RequestPattern {
  urlPattern: string
  resourceType: 'Document'
  requestStage: 'Request'
}

/** CDP's wildcards (`*`, `?`) and its escape character, escaped in a literal URL. */
const escapeWildcards = (url: string): string => url.replace(/[\\*?]/g, '\\$&')

/**
 * The pattern pausing requests to `redirectUri` with any query (as `isRedirectTo` compares);
 * undefined when it does not parse.
 */
export function foreignPattern(redirectUri: string): RequestPattern | undefined {
  const target = redirectTarget(redirectUri)
  if (target === undefined) return undefined
  return { urlPattern: `${escapeWildcards(target)}*`, resourceType: 'Document', requestStage: 'Request' }
}

/** Whether a paused request is the arrival at `redirectUri` (its pattern may match more). */
export function isForeignArrival(event: PausedRequest, redirectUri: string): boolean {
  return isRedirectTo(event.request.url, redirectUri)
}
