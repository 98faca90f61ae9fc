/**
 * Watching one page during an authorization: main-frame document loads, navigation responses
 * (every redirect hop, recorded as exchanges), and the moment the server sends the browser to
 * the redirect URI (a hit on our loopback server, or a navigation to a foreign redirect URI).
 */
import { EventEmitter } from 'node:events'
import type { Page, Request, Response } from 'playwright-core'
import type { Exchange } from '../types.ts'
import type { CallbackHit, CallbackServer } from './callback-server.ts'
import { isRedirectTo } from './redirect-uri.ts'

export interface PageWatch {
  /** Main-frame `load` events so far. */
  readonly loads: number
  readonly exchanges: Exchange[]
  /** The last main-frame document response that was not a redirect. */
  readonly lastDocument: Response | undefined
  /** Our loopback server's hit for this request (its fragment reported or not). */
  readonly hit: CallbackHit | undefined
  /** A navigation to a redirect URI that is not our loopback server. */
  readonly foreignRedirect: Request | undefined
  /** True when the server has sent the browser to the redirect URI and all of it is known. */
  finished(): boolean
  /** True when the server has sent the browser to the redirect URI (fragment maybe pending). */
  reached(): boolean
  /** Resolve when `condition` holds (re-checked on every event); false at the deadline. */
  until(condition: () => boolean, deadline: number): Promise<boolean>
  stop(): void
}

function isMainFrame(page: Page, request: Request): boolean {
  try {
    return request.isNavigationRequest() && request.frame() === page.mainFrame()
  } catch {
    return false // service-worker requests have no frame
  }
}

export function watchPage(
  page: Page,
  options: {
    redirectUri: string
    callback: CallbackServer
    deadline: number
    signal?: AbortSignal
  },
): PageWatch {
  const changes = new EventEmitter()
  changes.setMaxListeners(0)
  const exchanges: Exchange[] = []
  const ours = options.redirectUri.startsWith(`${options.callback.origin}/`)
  let loads = 0
  let lastDocument: Response | undefined
  let hit: CallbackHit | undefined
  let foreignRedirect: Request | undefined
  let stopped = false
  const stopWaiting = new AbortController()

  const onLoad = (): void => {
    loads += 1
    changes.emit('change')
  }
  const onClose = (): void => {
    changes.emit('change')
  }
  const onRequest = (request: Request): void => {
    if (ours || foreignRedirect || !isMainFrame(page, request)) return
    if (isRedirectTo(request.url(), options.redirectUri)) {
      foreignRedirect = request
      changes.emit('change')
    }
  }
  const onResponse = (response: Response): void => {
    const request = response.request()
    if (!isMainFrame(page, request)) return
    const timing = request.timing()
    exchanges.push({
      request: {
        method: request.method(),
        url: request.url(),
        headers: request.headers(),
        body: request.postData() ?? undefined,
      },
      response: { status: response.status(), headers: response.headers() },
      durationMs: Math.max(0, Math.round(timing.responseEnd)),
    })
    if (response.status() < 300 || response.status() >= 400) lastDocument = response
  }
  page.on('load', onLoad)
  page.on('request', onRequest)
  page.on('response', onResponse)
  page.on('close', onClose)

  if (ours) {
    const path = new URL(options.redirectUri).pathname
    const afterId = options.callback.lastHitId()
    const timeoutMs = Math.max(0, options.deadline - Date.now())
    // Aborted by stop() (and by the step's signal) so that no waiter outlives the request.
    const signal = options.signal
      ? AbortSignal.any([options.signal, stopWaiting.signal])
      : stopWaiting.signal
    const wait = { path, afterId, timeoutMs, signal }
    // The first hit (query, form_post body), then the same hit once its page reported the fragment.
    void options.callback.waitForHit(wait).then(
      (found) => {
        if (found && !hit) hit = found
        changes.emit('change')
      },
      () => {},
    )
    void options.callback
      .waitForHit({ ...wait, until: (candidate) => candidate.fragmentReported })
      .then(
        (found) => {
          if (found) hit = found
          changes.emit('change')
        },
        () => {},
      )
  }

  const watch: PageWatch = {
    get loads() {
      return loads
    },
    exchanges,
    get lastDocument() {
      return lastDocument
    },
    get hit() {
      return hit
    },
    get foreignRedirect() {
      return foreignRedirect
    },
    finished: () => foreignRedirect !== undefined || hit?.fragmentReported === true,
    reached: () => foreignRedirect !== undefined || hit !== undefined,
    until(condition, deadline) {
      return new Promise((resolve) => {
        if (condition()) return resolve(true)
        if (stopped || page.isClosed()) return resolve(false)
        const finish = (result: boolean): void => {
          clearTimeout(timer)
          changes.off('change', check)
          options.signal?.removeEventListener('abort', abort)
          resolve(result)
        }
        const check = (): void => {
          if (condition()) finish(true)
          else if (stopped || page.isClosed()) finish(false)
        }
        const abort = (): void => finish(false)
        const timer = setTimeout(() => finish(condition()), Math.max(0, deadline - Date.now()))
        changes.on('change', check)
        options.signal?.addEventListener('abort', abort, { once: true })
      })
    },
    stop() {
      stopped = true
      stopWaiting.abort()
      page.off('load', onLoad)
      page.off('request', onRequest)
      page.off('response', onResponse)
      page.off('close', onClose)
      changes.emit('change')
    },
  }
  return watch
}
