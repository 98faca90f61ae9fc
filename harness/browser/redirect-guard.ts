/**
 * Credential-bearing redirects in the real browser (origin-guard.ts names the other moments).
 * A 307 or 308 keeps the method and body (RFC 9110 §15.4.8, §15.4.9), so Chromium would send a
 * login POST's password again to whatever origin the Location names. Chromium follows redirects
 * by itself, so the guard pauses document responses (CDP Fetch at the Response stage: frames'
 * documents only, no subresource; document-interception.ts) and fails such a hop before
 * Chromium follows it. Every other response is let through at once: one CDP round trip per page.
 */
import type { CDPSession } from 'playwright-core'
import type { OriginPolicy } from '../http/origin-policy.ts'
import { pausedBody, type PausedRequest } from './paused-request.ts'

/** A redirect answer as the guard sees it. */
export interface RedirectHop {
  status: number
  method: string
  /** The URL the answered request went to. */
  url: string
  /** The Location header as sent (maybe relative). */
  location: string | undefined
  /** The request's body, which Chromium would send again. */
  body: string | undefined
  /** A body is there but too long for the CDP event to hold (`hasPostData` without data). */
  bodyUnread?: boolean
}

export interface RedirectRules {
  /** The target's policy, knowing the login password as a credential (origin-guard.ts). */
  policy: OriginPolicy
  /**
   * Origins of the harness's own servers (the loopback callback server): a 307 there reaches
   * nobody else, and suites/code-flow/login-post-no-307.yaml judges that very answer.
   */
  ownOrigins: readonly string[]
}

/**
 * Why following `hop` would send a credential where the target does not allow it, worded as the
 * HTTP client words a refused request (`POST <url> failed: <reason>`), or undefined.
 */
export function redirectRefusal(hop: RedirectHop, rules: RedirectRules): string | undefined {
  if (hop.status !== 307 && hop.status !== 308) return undefined
  const unread = hop.bodyUnread === true
  if (!hop.location || (!hop.body && !unread)) return undefined
  let next: URL
  try {
    next = new URL(hop.location, hop.url)
  } catch {
    return undefined // Chromium does not follow a Location it cannot parse
  }
  if (rules.ownOrigins.includes(next.origin)) return undefined
  // The body goes again: the policy judges it as the body of a request to the Location.
  // A body too long for the event counts as holding a credential (origin-policy.ts).
  const refusal = rules.policy.refusal({ url: next.href, headers: {}, body: hop.body, bodyUnread: unread })
  if (!refusal) return undefined
  const from = new URL(hop.url).origin
  const why = unread ? ' (a body too long to read counts as holding one)' : ''
  return `${hop.method} ${next.href} (a ${hop.status} redirect from ${from}) failed: ${refusal}${why}`
}

function hopOf(event: PausedRequest): RedirectHop {
  const body = pausedBody(event.request)
  const location = event.responseHeaders?.find((header) => header.name.toLowerCase() === 'location')
  return {
    status: event.responseStatusCode ?? 0,
    method: event.request.method,
    url: event.request.url,
    location: location?.value,
    body,
    ...(body === undefined && event.request.hasPostData === true ? { bodyUnread: true } : {}),
  }
}

/** Headers about the original body's framing, which a fulfilled copy (no body) must not keep. */
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'content-encoding'])

/**
 * Answer a paused document response (document-interception.ts pauses them all): fail a redirect
 * hop that `redirectRefusal` refuses (`onRefused` gets the reason before Chromium sees the
 * failure), let every other response go on.
 */
export function answerRedirectHop(
  cdp: CDPSession,
  event: PausedRequest,
  rules: RedirectRules,
  onRefused: (reason: string) => void,
): void {
  const hop = hopOf(event)
  const refusal = redirectRefusal(hop, rules)
  if (refusal) onRefused(refusal)
  const requestId = event.requestId
  let answer: Promise<unknown>
  if (refusal) {
    answer = cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' })
  } else if ((hop.status === 307 || hop.status === 308) && (hop.body !== undefined || hop.bodyUnread)) {
    // Chromium fails a continued 307/308 of a request with a body (net::ERR_INVALID_ARGUMENT,
    // as under a Playwright route) but follows a fulfilled copy of the same answer natively.
    const responseHeaders = (event.responseHeaders ?? []).filter(
      (header) => !FRAMING_HEADERS.has(header.name.toLowerCase()),
    )
    // An empty body must be given: without one Chromium pauses the next hop as a request and
    // fails it the same way.
    const copy = { requestId, responseCode: hop.status, responseHeaders, body: '' }
    answer = cdp.send('Fetch.fulfillRequest', copy)
  } else {
    answer = cdp.send('Fetch.continueRequest', { requestId })
  }
  answer.catch(() => {}) // the page closed meanwhile: the request is gone with it
}
