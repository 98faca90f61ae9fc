/**
 * The browser's arrival at our callback server, answered in the browser. When the server sends
 * the browser to the redirect URI, Chromium's network layer pauses the request (CDP Fetch at the
 * Request stage), the hit is recorded from it as the callback server would record it (URL,
 * method, form_post body, and the fragment, which no server sees), and the browser gets an empty
 * 204. A 204 commits no document: the page keeps the server's last page, and Chromium neither
 * starts a renderer for the callback's site nor runs the callback page's script (bench/README.md
 * measures the difference). Anything the server sent is still seen: the request is the one
 * Chromium would have sent. A request the callback server would refuse goes on to it unchanged.
 */
import type { CDPSession } from 'playwright-core'
import type { CallbackServer } from './callback-server.ts'
import { pausedBody, type PausedRequest, type RequestPattern } from './paused-request.ts'

/**
 * The Fetch patterns that pause document requests to the callback server: all of its paths, as a
 * redirect to a near miss of a callback URL is an arrival too (callback-server.ts), also with
 * userinfo before the host, which Chromium keeps in the URL it matches.
 */
export function callbackPatterns(callback: Pick<CallbackServer, 'origin'>): RequestPattern[] {
  const { protocol, host } = new URL(callback.origin)
  return [`${callback.origin}/*`, `${protocol}//*@${host}/*`].map((urlPattern) => ({
    urlPattern,
    resourceType: 'Document',
    requestStage: 'Request',
  }))
}

/** Headers of the 204, as the callback server sends them. */
const ANSWER_HEADERS = [
  { name: 'cache-control', value: 'no-store' },
  { name: 'referrer-policy', value: 'no-referrer' },
]

/** Answer a paused document request with the callback server's empty 204 (no document commits). */
export function answerNoContent(cdp: CDPSession, requestId: string): void {
  const answer = cdp.send('Fetch.fulfillRequest', {
    requestId,
    responseCode: 204,
    responseHeaders: ANSWER_HEADERS,
    body: '',
  })
  answer.catch(() => {}) // the page closed meanwhile: the request is gone with it
}

/** Record the paused callback request as a hit and answer it with a 204 (else let it go on). */
export function answerCallback(cdp: CDPSession, event: PausedRequest, callback: CallbackServer): void {
  const { request, requestId } = event
  const body = pausedBody(request)
  // A body too long for the event is left out of it: the callback server reads it itself.
  const complete = body !== undefined || request.hasPostData !== true
  const hit = complete
    ? callback.recordIntercepted({
        method: request.method,
        url: request.url,
        fragment: (request.urlFragment ?? '').replace(/^#/, ''),
        body,
      })
    : undefined
  if (hit) answerNoContent(cdp, requestId)
  else cdp.send('Fetch.continueRequest', { requestId }).catch(() => {}) // the page may be gone
}
