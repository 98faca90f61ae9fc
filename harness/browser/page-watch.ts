/**
 * Watching one page during an authorization: main-frame document loads, navigation responses
 * (every redirect hop, recorded as exchanges), and the moment the server sends the browser to
 * the redirect URI (a hit on our loopback server, or a navigation to a foreign redirect URI).
 */
import { EventEmitter } from 'node:events'
import type { Page, Request, Response } from 'playwright-core'
import type { Exchange } from '../types.ts'
import type { CallbackHit, CallbackServer } from './callback-server.ts'
import { navigationRefusal } from './origin-guard.ts'
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
  /**
   * A main-frame navigation to a refused address (origin-guard.ts), as the HTTP-form driver
   * words it: `GET <url> failed: <reason>`. Chromium cannot resolve it, so nothing was sent.
   */
  readonly refused: string | undefined
  /** True when the server has sent the browser to the redirect URI and all of it is known. */
  finished(): boolean
  /** True when the server has sent the browser to the redirect URI (fragment maybe pending). */
  reached(): boolean
  /** Resolves when every exchange recorded so far carries its cookies (see recordCookies). */
  settled(): Promise<void>
  /** Resolve when `condition` holds (re-checked on every event); false at the deadline. */
  until(condition: () => boolean, deadline: number): Promise<boolean>
  stop(): void
}

/** How long settled() waits for the cookies of the last responses. */
const SETTLE_BOUND_MS = 2_000

function isMainFrame(page: Page, request: Request): boolean {
  try {
    return request.isNavigationRequest() && request.frame() === page.mainFrame()
  } catch {
    return false // service-worker requests have no frame
  }
}

/**
 * Milliseconds from the request to `mark` by Chromium's own timing; when it has none yet (-1),
 * by our clock since the request was seen.
 */
function durationOf(
  request: Request,
  mark: 'responseStart' | 'responseEnd',
  sentAt: number | undefined,
): number {
  const value = request.timing()[mark]
  if (value >= 0) return Math.round(value)
  return sentAt === undefined ? 0 : Math.max(0, Math.round(performance.now() - sentAt))
}

export function watchPage(
  page: Page,
  options: {
    redirectUri: string
    callback: CallbackServer
    deadline: number
    signal?: AbortSignal
    /** The target allows link-local and metadata addresses (targets.yaml `allow_link_local`). */
    allowLinkLocal?: boolean
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
  let refused: string | undefined
  let stopped = false
  const stopWaiting = new AbortController()

  const onLoad = (): void => {
    loads += 1
    changes.emit('change')
  }
  const onClose = (): void => {
    changes.emit('change')
  }
  /** When each main-frame request was seen, for timings Chromium does not give (yet). */
  const sentAt = new WeakMap<Request, number>()
  /** The exchange recorded for a request, its duration completed when the body has arrived. */
  const recorded = new WeakMap<Request, Exchange>()
  const onRequest = (request: Request): void => {
    if (isMainFrame(page, request)) {
      sentAt.set(request, performance.now())
      const refusal = refused ? undefined : navigationRefusal(request.url(), options.allowLinkLocal)
      if (refusal) {
        refused = `${request.method()} ${request.url()} failed: ${refusal}`
        changes.emit('change')
      }
    }
    if (ours || foreignRedirect || !isMainFrame(page, request)) return
    if (isRedirectTo(request.url(), options.redirectUri)) {
      foreignRedirect = request
      changes.emit('change')
    }
  }
  const onResponse = (response: Response): void => {
    const request = response.request()
    if (!isMainFrame(page, request)) return
    const exchange: Exchange = {
      request: {
        method: request.method(),
        url: request.url(),
        headers: request.headers(),
        body: request.postData() ?? undefined,
      },
      response: { status: response.status(), headers: response.headers() },
      // Until the body has arrived (onFinished): the time to the response headers.
      durationMs: durationOf(request, 'responseStart', sentAt.get(request)),
    }
    exchanges.push(exchange)
    recorded.set(request, exchange)
    recordCookies(exchange, request, response)
    if (response.status() < 300 || response.status() >= 400) lastDocument = response
  }
  /**
   * headers() leaves cookies out; the login cookies, and the interaction handles they carry, are
   * recorded too, so that the run's redactor learns them (docs/redaction.md). The headers object
   * is filled in place: copies of the exchange made before it settles see the cookies too.
   */
  const pending: Promise<void>[] = []
  const recordCookies = (exchange: Exchange, request: Request, response: Response): void => {
    const headers = { request: exchange.request.headers, response: exchange.response!.headers }
    pending.push(
      Promise.all([request.headerValue('cookie'), response.headerValue('set-cookie')]).then(
        ([cookie, setCookie]) => {
          if (cookie) headers.request['cookie'] = cookie
          if (setCookie) headers.response['set-cookie'] = setCookie
        },
        () => {},
      ),
    )
  }
  const onFinished = (request: Request): void => {
    const exchange = recorded.get(request)
    if (exchange) exchange.durationMs = durationOf(request, 'responseEnd', sentAt.get(request))
  }
  page.on('load', onLoad)
  page.on('request', onRequest)
  page.on('requestfinished', onFinished)
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
    get refused() {
      return refused
    },
    settled: async () => {
      // Bounded: a crashed page never answers, and its cookies are not worth a hung step.
      let timer: NodeJS.Timeout | undefined
      const bound = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, SETTLE_BOUND_MS)
      })
      await Promise.race([Promise.all(pending), bound])
      clearTimeout(timer)
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
      page.off('requestfinished', onFinished)
      page.off('response', onResponse)
      page.off('close', onClose)
      changes.emit('change')
    },
  }
  return watch
}
