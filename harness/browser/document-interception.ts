/**
 * One CDP Fetch interception per page, for the two things the driver does in Chromium's network
 * layer: judging redirect hops before Chromium follows them (redirect-guard.ts, every document
 * response) and answering the browser's arrival at our callback server (callback-intercept.ts,
 * document requests to it). Enabled once per page, as enabling costs Chromium more than a pause.
 */
import type { CDPSession } from 'playwright-core'
import { answerCallback, callbackPattern } from './callback-intercept.ts'
import type { CallbackServer } from './callback-server.ts'
import { isResponseStage, type PausedRequest } from './paused-request.ts'
import { answerRedirectHop, type RedirectRules } from './redirect-guard.ts'

export interface DocumentInterception {
  redirects: RedirectRules
  /** Gets the reason of a refused redirect hop. */
  onRefused: (reason: string) => void
  /** Arrivals at this server are answered in the browser. */
  callback: CallbackServer
}

/** Pause the page's documents for its life (`cdp` is the page's session). */
export async function interceptDocuments(cdp: CDPSession, options: DocumentInterception): Promise<void> {
  const onPaused = (event: PausedRequest): void => {
    if (isResponseStage(event)) answerRedirectHop(cdp, event, options.redirects, options.onRefused)
    else answerCallback(cdp, event, options.callback)
  }
  cdp.on('Fetch.requestPaused', onPaused)
  await cdp.send('Fetch.enable', {
    patterns: [
      callbackPattern(options.callback),
      { urlPattern: '*', resourceType: 'Document', requestStage: 'Response' },
    ],
  })
}
