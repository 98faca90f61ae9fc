/**
 * The loopback callback server: the real redirect URI of every scenario (`run.callback_url`).
 * Because it is the real endpoint, every redirect the authorization server sends is seen here,
 * whichever login driver ran. One server per run, on 127.0.0.1 and a random port.
 * @see https://www.rfc-editor.org/rfc/rfc8252#section-7.3
 */
import { EventEmitter } from 'node:events'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { HarnessError } from '../errors.ts'
import { addParameters } from '../oauth/redirect-uri.ts'

/** One request the authorization server sent a browser (or the HTTP driver) to. */
export interface CallbackHit {
  /** Increasing number, unique per server. */
  id: number
  method: string
  /** The full URL received (a fragment never reaches a server; see `fragment`). */
  url: string
  path: string
  query: Record<string, string>
  /** Parameters of a `response_mode=form_post` body. */
  form?: Record<string, string>
  /** The page's `location.hash` (without `#`), once its script reported it. */
  fragment?: string
  /** True once the callback page's script has reported `location.hash` (possibly empty). */
  fragmentReported: boolean
}

/** A callback request as the browser was about to send it (CDP `Fetch.requestPaused`). */
export interface InterceptedCallback {
  method: string
  /** The URL without its fragment. */
  url: string
  /** The fragment, without `#` ('' when none). */
  fragment: string
  /** A form_post body. */
  body?: string
}

export interface WaitForHitOptions {
  /** Only hits on this path (`/callback/<slug>`, or a near miss of it). */
  path: string
  /** Only hits with an id greater than this (`lastHitId()` before the request was sent). */
  afterId: number
  /** Also wait until this holds for the hit (e.g. its fragment was reported). */
  until?: (hit: CallbackHit) => boolean
  timeoutMs: number
  signal?: AbortSignal
}

export interface CallbackServer {
  /** e.g. `http://127.0.0.1:PORT` */
  readonly origin: string
  /** This scenario's callback URL: `ORIGIN/callback/<slug>`. */
  urlFor(scenarioId: string): string
  hits(): readonly CallbackHit[]
  lastHitId(): number
  /** The first matching hit; undefined when none arrived before the deadline. */
  waitForHit(options: WaitForHitOptions): Promise<CallbackHit | undefined>
  /**
   * Record a request to this server that a browser's network layer answered in its place
   * (callback-intercept.ts): the same hit, its fragment known at once. Undefined when the URL
   * is not an arrival at this server (another origin, the fragment report, the favicon) or its
   * body is too long.
   */
  recordIntercepted(request: InterceptedCallback): CallbackHit | undefined
  close(): Promise<void>
}

/**
 * Whether `url` goes to this callback server (the browser's arrival there, a redirect URI), by
 * its parsed origin: `http://127.1:PORT/...` and `http://user@127.0.0.1:PORT/...` go there too.
 */
export function onCallbackServer(callback: Pick<CallbackServer, 'origin'>, url: string): boolean {
  try {
    return new URL(url).origin === callback.origin
  } catch {
    return false
  }
}

const MAX_BODY_BYTES = 64 * 1024

/**
 * Whether a request to this server on `pathname` is an arrival the authorization server sent: any
 * path but the page's own fragment report and the browser's favicon. Not only `/callback/...`, as
 * a scenario may send a near miss of its callback URL (`/CALLBACK/...`) that a lax server accepts.
 */
function isArrivalPath(pathname: string): boolean {
  return !pathname.startsWith('/__fragment/') && pathname !== '/favicon.ico'
}

/** The path segment of a scenario: `registration/redirect-uris` -> `registration.redirect-uris`. */
export function callbackSlug(scenarioId: string): string {
  const slug = scenarioId
    .replaceAll('/', '.')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|[.-]+$/g, '')
  return slug === '' ? 'scenario' : slug
}

/** The page a browser lands on. Its script reports `location.hash`, which a server never sees. */
function callbackPage(hitId: number): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>dcr-conformance: callback received</title></head>',
    '<body><p>dcr-conformance: callback received</p>',
    '<script>',
    // location.origin, not a relative URL: a page reached with userinfo (`user@host`) would make
    // fetch refuse a URL that inherits it.
    `fetch(location.origin + '/__fragment/${hitId}', { method: 'POST',`,
    "  headers: { 'content-type': 'text/plain' },",
    "  body: location.hash.replace(/^#/, '') })",
    '</script></body></html>',
    '',
  ].join('\n')
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    request.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'))
        request.destroy()
        return
      }
      chunks.push(chunk)
    })
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/** What the server has seen; `events` emits 'hit' on a new hit and on a fragment report. */
interface HitLog {
  hits: CallbackHit[]
  events: EventEmitter
  nextId: number
}

/** The callback page's script reports `location.hash` for hit `hitId`: recorded once. */
async function recordFragment(
  log: HitLog,
  hitId: number,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const hit = log.hits.find((candidate) => candidate.id === hitId)
  const body = await readBody(request)
  if (hit && !hit.fragmentReported) {
    hit.fragment = body
    hit.fragmentReported = true
    log.events.emit('hit', hit)
  }
  response.writeHead(204).end()
}

/** A new hit on `url` (a `/callback/<slug>` URL or a near miss of one), recorded and announced. */
function addHit(
  log: HitLog,
  url: URL,
  /** The URL as it was sent, unnormalised: what the hit reports. */
  shownUrl: string,
  method: string,
  body: string | undefined,
  fragment?: string,
): CallbackHit {
  const query: Record<string, string> = {}
  addParameters(query, url.searchParams)
  const hit: CallbackHit = {
    id: log.nextId++,
    method,
    url: shownUrl,
    path: url.pathname,
    query,
    fragmentReported: fragment !== undefined,
  }
  if (fragment !== undefined) hit.fragment = fragment
  if (method === 'POST') {
    const form: Record<string, string> = {}
    addParameters(form, new URLSearchParams(body ?? ''))
    hit.form = form
  }
  log.hits.push(hit)
  log.events.emit('hit', hit)
  return hit
}

/** A redirect to this server: its query (and form_post body), answered with the page. */
async function recordHit(
  log: HitLog,
  url: URL,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const method = request.method ?? 'GET'
  const body = method === 'POST' ? await readBody(request) : undefined
  const shown = `http://${request.headers.host ?? '127.0.0.1'}${request.url ?? '/'}`
  const hit = addHit(log, url, shown, method, body)
  response
    .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    .end(callbackPage(hit.id))
}

async function handle(
  log: HitLog,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1')
  response.setHeader('cache-control', 'no-store')
  response.setHeader('referrer-policy', 'no-referrer')
  const fragmentReport = /^\/__fragment\/(\d+)$/.exec(url.pathname)
  if (fragmentReport && request.method === 'POST')
    return recordFragment(log, Number(fragmentReport[1]), request, response)
  if (!isArrivalPath(url.pathname)) {
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
    return
  }
  return recordHit(log, url, request, response)
}

/** A fixed port that is taken is a configuration error; a random one cannot be. */
function listen(server: Server, port: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) =>
      reject(
        port === 0
          ? error
          : new HarnessError('E_CONFIG', `callback.port ${port}: cannot listen (${error.message})`),
      ),
    )
    server.listen(port, '127.0.0.1', () => resolve())
  })
}

function matching(log: HitLog, options: WaitForHitOptions): CallbackHit | undefined {
  return log.hits.find(
    (hit) =>
      hit.id > options.afterId &&
      hit.path === options.path &&
      (options.until === undefined || options.until(hit)),
  )
}

/** A hit already there, else the first to arrive; undefined at the deadline. */
function waitForHit(log: HitLog, options: WaitForHitOptions): Promise<CallbackHit | undefined> {
  return new Promise((resolve, reject) => {
    const found = matching(log, options)
    if (found) return resolve(found)
    if (options.signal?.aborted) return reject(options.signal.reason)
    const finish = (): void => {
      clearTimeout(timer)
      log.events.off('hit', onHit)
      options.signal?.removeEventListener('abort', onAbort)
    }
    const onHit = (): void => {
      const hit = matching(log, options)
      if (hit) {
        finish()
        resolve(hit)
      }
    }
    const onAbort = (): void => {
      finish()
      reject(options.signal?.reason ?? new HarnessError('E_LOGIN', 'aborted'))
    }
    const timer = setTimeout(() => {
      finish()
      resolve(undefined)
    }, options.timeoutMs)
    log.events.on('hit', onHit)
    options.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Start the callback server on 127.0.0.1, on `port` when the target fixes one (servers that
 * register an exact loopback port), else a random port.
 */
export async function startCallbackServer(port = 0): Promise<CallbackServer> {
  const log: HitLog = { hits: [], events: new EventEmitter(), nextId: 1 }
  log.events.setMaxListeners(0)
  const server = createServer((request, response) => {
    handle(log, request, response).catch(() => {
      if (!response.headersSent) response.writeHead(400)
      response.end()
    })
  })
  await listen(server, port)
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    urlFor: (scenarioId) => `${origin}/callback/${callbackSlug(scenarioId)}`,
    hits: () => log.hits,
    lastHitId: () => log.nextId - 1,
    waitForHit: (options) => waitForHit(log, options),
    recordIntercepted(request) {
      const url = new URL(request.url)
      if (url.origin !== origin || !isArrivalPath(url.pathname)) return undefined
      if (Buffer.byteLength(request.body ?? '') > MAX_BODY_BYTES) return undefined // as handle() refuses it
      return addHit(log, url, request.url, request.method, request.body, request.fragment)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
