/**
 * Watching one page during an authorization: main-frame document loads, navigation responses
 * (every redirect hop, recorded as exchanges), and the moment the server sends the browser to
 * the redirect URI (a hit on our loopback server, or a navigation to a foreign redirect URI).
 */
import { EventEmitter } from 'node:events'
import type { Page, Request, Response } from 'playwright-core'
import type { Exchange } from '../model/result.ts'
import { onCallbackServer, type CallbackHit, type CallbackServer } from './callback-server.ts'
import { navigationRefusal } from './origin-guard.ts'
import { isRedirectTo } from '../oauth/redirect-uri.ts'

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
   * Or a redirect hop the guard failed before Chromium followed it (redirect-guard.ts).
   */
  readonly refused: string | undefined
  /** Record a refusal seen elsewhere (redirect-guard.ts); the first refusal stands. */
  refuse(reason: string): void
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

/** What the watch has seen so far; the listeners below fill it in. */
interface WatchState {
  loads: number
  exchanges: Exchange[]
  lastDocument: Response | undefined
  hit: CallbackHit | undefined
  foreignRedirect: Request | undefined
  refused: string | undefined
  /** Cookie look-ups still running (see recordCookies). */
  pending: Promise<void>[]
  /** Emits `change` on every event a waiter may care about. */
  changes: EventEmitter
}

export interface WatchOptions {
  redirectUri: string
  callback: CallbackServer
  deadline: number
  signal?: AbortSignal
  /** The target allows link-local and metadata addresses (targets.yaml `allow_link_local`). */
  allowLinkLocal?: boolean
}

/**
 * headers() leaves cookies out; the login cookies, and the interaction handles they carry, are
 * recorded too, so that the run's redactor learns them (docs/redaction.md). The headers object
 * is filled in place: copies of the exchange made before it settles see the cookies too.
 */
function recordCookies(state: WatchState, exchange: Exchange, request: Request, response: Response): void {
  const headers = { request: exchange.request.headers, response: exchange.response!.headers }
  state.pending.push(
    Promise.all([request.headerValue('cookie'), response.headerValue('set-cookie')]).then(
      ([cookie, setCookie]) => {
        if (cookie) headers.request['cookie'] = cookie
        if (setCookie) headers.response['set-cookie'] = setCookie
      },
      () => {},
    ),
  )
}

/** The page's listeners: main-frame requests, responses (one exchange a hop), loads. */
function listen(page: Page, state: WatchState, options: WatchOptions): () => void {
  const changed = (): void => void state.changes.emit('change')
  const ours = onCallbackServer(options.callback, options.redirectUri)
  /** When each main-frame request was seen, for timings Chromium does not give (yet). */
  const sentAt = new WeakMap<Request, number>()
  /** The exchange recorded for a request, its duration completed when the body has arrived. */
  const recorded = new WeakMap<Request, Exchange>()
  const onLoad = (): void => {
    state.loads += 1
    changed()
  }
  const onRequest = (request: Request): void => {
    if (!isMainFrame(page, request)) return
    sentAt.set(request, performance.now())
    const refusal = navigationRefusal(request.url(), options.allowLinkLocal)
    if (refusal) refuse(state, `${request.method()} ${request.url()} failed: ${refusal}`)
    if (ours || state.foreignRedirect || !isRedirectTo(request.url(), options.redirectUri)) return
    state.foreignRedirect = request
    changed()
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
    state.exchanges.push(exchange)
    recorded.set(request, exchange)
    recordCookies(state, exchange, request, response)
    if (response.status() < 300 || response.status() >= 400) state.lastDocument = response
    changed()
  }
  const onFinished = (request: Request): void => {
    const exchange = recorded.get(request)
    if (exchange) exchange.durationMs = durationOf(request, 'responseEnd', sentAt.get(request))
  }
  page.on('load', onLoad)
  page.on('request', onRequest)
  page.on('requestfinished', onFinished)
  page.on('response', onResponse)
  page.on('close', changed)
  return () => {
    page.off('load', onLoad)
    page.off('request', onRequest)
    page.off('requestfinished', onFinished)
    page.off('response', onResponse)
    page.off('close', changed)
  }
}

/** The first refusal stands: it is what stopped the flow. */
function refuse(state: WatchState, reason: string): void {
  if (state.refused !== undefined) return
  state.refused = reason
  state.changes.emit('change')
}

/**
 * Our loopback server's hit for this request: the first one (query, form_post body), then the
 * same hit once its page reported the fragment. Both waits end with `stopped`.
 */
function waitForCallback(state: WatchState, options: WatchOptions, stopped: AbortSignal): void {
  const path = new URL(options.redirectUri).pathname
  const afterId = options.callback.lastHitId()
  const timeoutMs = Math.max(0, options.deadline - Date.now())
  const signal = options.signal ? AbortSignal.any([options.signal, stopped]) : stopped
  const wait = { path, afterId, timeoutMs, signal }
  const changed = (): void => void state.changes.emit('change')
  void options.callback.waitForHit(wait).then((found) => {
    if (found && !state.hit) state.hit = found
    changed()
  }, () => {})
  void options.callback
    .waitForHit({ ...wait, until: (candidate) => candidate.fragmentReported })
    .then((found) => {
      if (found) state.hit = found
      changed()
    }, () => {})
}

/** Resolves true once `condition` holds (re-checked on every change), false when it cannot. */
function waitUntil(
  page: Page,
  state: WatchState,
  condition: () => boolean,
  deadline: number,
  isStopped: () => boolean,
  signal: AbortSignal | undefined,
): Promise<boolean> {
  return new Promise((resolve) => {
    if (condition()) return resolve(true)
    if (isStopped() || page.isClosed()) return resolve(false)
    const finish = (result: boolean): void => {
      clearTimeout(timer)
      state.changes.off('change', check)
      signal?.removeEventListener('abort', abort)
      resolve(result)
    }
    const check = (): void => {
      if (condition()) finish(true)
      else if (isStopped() || page.isClosed()) finish(false)
    }
    const abort = (): void => finish(false)
    const timer = setTimeout(() => finish(condition()), Math.max(0, deadline - Date.now()))
    state.changes.on('change', check)
    signal?.addEventListener('abort', abort, { once: true })
  })
}

/** Bounded: a crashed page never answers, and its cookies are not worth a hung step. */
async function settle(pending: Promise<void>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, SETTLE_BOUND_MS)
  })
  await Promise.race([Promise.all(pending), bound])
  clearTimeout(timer)
}

const ignore = (): void => {}

/**
 * Keep Playwright's subscriptions to the network events a watch listens to for the page's life.
 * Playwright subscribes when an event's first listener comes and unsubscribes when the last one
 * goes, a call each: watches coming and going on one page (one per authorization) cost six a
 * step, 0.7 ms of the client's CPU alone (1,000 steps measured: 727 ms, 2 ms kept).
 */
export function keepWatchSubscriptions(page: Page): void {
  page.on('request', ignore)
  page.on('requestfinished', ignore)
  page.on('response', ignore)
}

export function watchPage(page: Page, options: WatchOptions): PageWatch {
  const changes = new EventEmitter()
  changes.setMaxListeners(0)
  const state: WatchState = {
    loads: 0,
    exchanges: [],
    lastDocument: undefined,
    hit: undefined,
    foreignRedirect: undefined,
    refused: undefined,
    pending: [],
    changes,
  }
  let stopped = false
  const stopWaiting = new AbortController()
  const unlisten = listen(page, state, options)
  if (onCallbackServer(options.callback, options.redirectUri)) {
    waitForCallback(state, options, stopWaiting.signal)
  }
  return {
    get loads() {
      return state.loads
    },
    exchanges: state.exchanges,
    get lastDocument() {
      return state.lastDocument
    },
    get hit() {
      return state.hit
    },
    get foreignRedirect() {
      return state.foreignRedirect
    },
    get refused() {
      return state.refused
    },
    refuse: (reason) => refuse(state, reason),
    settled: () => settle(state.pending),
    finished: () => state.foreignRedirect !== undefined || state.hit?.fragmentReported === true,
    reached: () => state.foreignRedirect !== undefined || state.hit !== undefined,
    until: (condition, deadline) =>
      waitUntil(page, state, condition, deadline, () => stopped, options.signal),
    stop() {
      stopped = true
      stopWaiting.abort()
      unlisten()
      changes.emit('change')
    },
  }
}
