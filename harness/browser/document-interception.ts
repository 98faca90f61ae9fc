/**
 * One CDP Fetch interception per page, for the things the driver does in Chromium's network
 * layer: judging redirect hops before Chromium follows them (redirect-guard.ts, every document
 * response) and answering the browser's arrival at the redirect URI, ours (callback-intercept.ts)
 * or a foreign one (foreign-arrival.ts, document requests to it). Enabled once per page and again
 * only for a foreign redirect URI the page has not paused yet, as enabling costs Chromium more
 * than a pause.
 */
import type { CDPSession } from 'playwright-core'
import { answerCallback, answerNoContent, callbackPattern } from './callback-intercept.ts'
import type { CallbackServer } from './callback-server.ts'
import { foreignPattern, isForeignArrival, type RequestPattern } from './foreign-arrival.ts'
import { isResponseStage, type PausedRequest } from './paused-request.ts'
import { answerRedirectHop, type RedirectRules } from './redirect-guard.ts'

export interface DocumentInterception {
  redirects: RedirectRules
  /** Gets the reason of a refused redirect hop. */
  onRefused: (reason: string) => void
  /** Arrivals at this server are answered in the browser. */
  callback: CallbackServer
}

/** What a page's interception takes after its set-up. */
export interface PageInterception {
  /**
   * Answer arrivals at this foreign redirect URI in the browser too, from now on (its requests
   * are paused once per URI and page); false when it cannot be paused (it does not parse).
   */
  answerArrivalsAt(redirectUri: string): Promise<boolean>
}

const RESPONSES: { urlPattern: string; resourceType: 'Document'; requestStage: 'Response' } = {
  urlPattern: '*',
  resourceType: 'Document',
  requestStage: 'Response',
}

/** Pause the page's documents for its life (`cdp` is the page's session). */
export async function interceptDocuments(
  cdp: CDPSession,
  options: DocumentInterception,
): Promise<PageInterception> {
  /** The page's foreign redirect URIs so far: an arrival at any of them is answered. */
  const foreign: string[] = []
  const onPaused = (event: PausedRequest): void => {
    if (isResponseStage(event)) answerRedirectHop(cdp, event, options.redirects, options.onRefused)
    else if (event.request.url.startsWith(`${options.callback.origin}/`)) {
      answerCallback(cdp, event, options.callback)
    } else if (foreign.some((redirectUri) => isForeignArrival(event, redirectUri))) {
      answerNoContent(cdp, event.requestId)
    } else cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => {})
  }
  cdp.on('Fetch.requestPaused', onPaused)
  const patterns: RequestPattern[] = [callbackPattern(options.callback)]
  const enable = () => cdp.send('Fetch.enable', { patterns: [...patterns, RESPONSES] })
  await enable()
  return {
    async answerArrivalsAt(redirectUri) {
      const pattern = foreignPattern(redirectUri)
      if (!pattern) return false
      if (!foreign.includes(redirectUri)) foreign.push(redirectUri)
      if (patterns.some((known) => known.urlPattern === pattern.urlPattern)) return true
      patterns.push(pattern)
      await enable()
      return true
    },
  }
}
