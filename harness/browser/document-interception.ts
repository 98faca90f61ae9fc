/**
 * One CDP Fetch interception per page, for the things the driver does in Chromium's network
 * layer: judging redirect hops before Chromium follows them (redirect-guard.ts, every document
 * response) and answering the browser's arrival at the redirect URI, ours (callback-intercept.ts)
 * or a foreign one (foreign-arrival.ts, document requests to its origin). Enabled once per page,
 * and again only for a foreign redirect URI's origin the page does not pause yet, as enabling
 * costs Chromium more than a pause. So an origin stays paused after its URI is forgotten: a later
 * document request there costs one round trip to be let go on.
 */
import { EventEmitter } from 'node:events'
import type { CDPSession } from 'playwright-core'
import { answerCallback, answerNoContent, callbackPatterns } from './callback-intercept.ts'
import { onCallbackServer, type CallbackServer } from './callback-server.ts'
import { isRedirectTo } from '../oauth/redirect-uri.ts'
import { foreignPattern } from './foreign-arrival.ts'
import { isResponseStage, type PausedRequest, type RequestPattern } from './paused-request.ts'
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
   * Answer arrivals at this foreign redirect URI in the browser too, from now on (requests to its
   * origin are paused once per origin and page); undefined when they cannot be paused.
   */
  answerArrivalsAt(redirectUri: string): Promise<ArrivalAnswers | undefined>
}

/** Whether the arrival at a foreign redirect URI was answered in the browser. */
export interface ArrivalAnswers {
  /** True once an arrival was answered since answerArrivalsAt; waits up to `waitMs` for one. */
  answered(waitMs: number): Promise<boolean>
  /**
   * The authorization is over: arrivals there go on again, so that a later scenario's browser
   * sent to this URI is seen going there, not kept on its page.
   */
  forget(): void
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
  const foreign = createForeignAnswers()
  const onPaused = (event: PausedRequest): void => {
    if (isResponseStage(event)) answerRedirectHop(cdp, event, options.redirects, options.onRefused)
    else if (onCallbackServer(options.callback, event.request.url)) {
      answerCallback(cdp, event, options.callback)
    } else if (foreign.take(event)) answerNoContent(cdp, event.requestId)
    else cdp.send('Fetch.continueRequest', { requestId: event.requestId }).catch(() => {})
  }
  cdp.on('Fetch.requestPaused', onPaused)
  const patterns: RequestPattern[] = callbackPatterns(options.callback)
  const enable = (all: RequestPattern[]) =>
    cdp.send('Fetch.enable', { patterns: [...all, RESPONSES] })
  await enable(patterns)
  return {
    async answerArrivalsAt(redirectUri) {
      const pattern = foreignPattern(redirectUri)
      if (!pattern) return undefined
      if (!patterns.some((known) => known.urlPattern === pattern.urlPattern)) {
        // Known only once Chromium has it: a failed enable leaves the origin unpaused.
        const ok = await enable([...patterns, pattern]).then(() => true, () => false)
        if (!ok) return undefined
        patterns.push(pattern)
      }
      return foreign.expect(redirectUri)
    },
  }
}

/** The foreign redirect URIs a page answers arrivals at, and the arrivals it answered. */
function createForeignAnswers() {
  const uris = new Map<string, number>()
  const answers = new EventEmitter()
  return {
    /** Whether the paused request arrives at one of the URIs (then counted as answered). */
    take(event: PausedRequest): boolean {
      const uri = [...uris.keys()].find((known) => isRedirectTo(event.request.url, known))
      if (uri === undefined) return false
      uris.set(uri, (uris.get(uri) ?? 0) + 1)
      answers.emit(uri)
      return true
    },
    expect(redirectUri: string): ArrivalAnswers {
      if (!uris.has(redirectUri)) uris.set(redirectUri, 0)
      const before = uris.get(redirectUri)!
      const done = () => (uris.get(redirectUri) ?? before) > before
      return {
        forget: () => void uris.delete(redirectUri),
        answered: (waitMs) =>
          done()
            ? Promise.resolve(true)
            : new Promise((resolve) => {
                const onAnswer = () => finish(true)
                const timer = setTimeout(() => finish(done()), waitMs)
                const finish = (value: boolean) => {
                  clearTimeout(timer)
                  answers.off(redirectUri, onAnswer)
                  resolve(value)
                }
                answers.on(redirectUri, onAnswer)
              }),
      }
    },
  }
}
