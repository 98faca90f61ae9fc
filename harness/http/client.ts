/**
 * The run's HTTP client: one keep-alive undici Agent, no redirects, bounded bodies and times, and
 * every exchange recorded for the report (redaction happens later, before any reporter).
 */
import { createSecureContext, rootCertificates } from 'node:tls'
import type { SecureContext } from 'node:tls'
import { request, type Dispatcher } from 'undici'
import { HarnessError } from '../errors.ts'
import type { Exchange } from '../model/result.ts'
import type { HttpClient, HttpRequest, HttpResponse } from './types.ts'
import { describeTransportError } from './errors.ts'
import { followAbort } from './abort-relay.ts'
import { readLimitedBody } from './body.ts'
import type { OriginPolicy } from './origin-policy.ts'
import { isJsonContentType, jsonTooDeep, MAX_JSON_DEPTH, parseJson } from './json.ts'
import { mayRetry } from './retry.ts'
import { capText, detached, MAX_MESSAGE_VALUE } from './cap.ts'
import { trackSocketReuse } from './socket-reuse.ts'
import { proxyFromEnv, runDispatcher, type ProxySettings } from './proxy.ts'
import { RATE_LIMIT_BUDGET_MS, rateLimitWait, waitUnlessAborted } from './rate-limit.ts'
import { setOwnMember } from '../own-member.ts'

export interface HttpClientOptions {
  limits?: { max_response_bytes?: number; request_timeout_ms?: number }
  tls?: { ca?: string; insecure?: boolean }
  /** Connect timeout in milliseconds (default 5 s, never more than the request timeout). */
  connectTimeoutMs?: number
  /** Where credentials may go and which addresses are never contacted (origin-policy.ts). */
  originPolicy?: OriginPolicy
  /** A forward proxy (proxy.ts); default: the one the environment names, `false` for none. */
  proxy?: ProxySettings | false
  /** All the client's waiting for 429s (default RATE_LIMIT_BUDGET_MS, rate-limit.ts). */
  rateLimitBudgetMs?: number
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
/** Response bodies longer than this are cut in the recorded exchange (the action sees all). */
export const RECORDED_BODY_LIMIT = 64 * 1024

export type ClosableHttpClient = HttpClient & { close(): Promise<void> }

/**
 * Keep-alive that ends on the harness's side first: a socket is idle at most 4 s when the server
 * gives no `Keep-Alive: timeout=N` hint, else N minus 2 s, and never more than 10 s, so the
 * harness stops reusing a socket before a server (the reference server keeps them 30 s, node's
 * default is 5 s) closes it under a request. The rare race left is retried by retry.ts's rule.
 */
const KEEP_ALIVE = {
  keepAliveTimeout: 4_000,
  keepAliveMaxTimeout: 10_000,
  keepAliveTimeoutThreshold: 2_000,
}

/** What every request of one client shares. */
interface ClientSetup {
  agent: Dispatcher
  maxBytes: number
  timeoutMs: number
  originPolicy: OriginPolicy | undefined
  /** What is left of the client's waiting for 429s (rate-limit.ts). */
  rateLimitBudget: { leftMs: number }
}

/** One request on its way: the exchange recorded for it and the signals that may end it. */
interface Call {
  req: HttpRequest
  exchange: Exchange
  started: number
  /** The caller's signal (a scenario that ends). */
  caller: AbortSignal | undefined
  /** Aborts at the client's request timeout or with the caller's signal. */
  signal: AbortSignal
}

type Answer = Awaited<ReturnType<typeof request>>

/** Creates the run's HTTP client. `tls.ca` is PEM text added to the default trust store. */
export function createHttpClient(options: HttpClientOptions = {}): ClosableHttpClient {
  trackSocketReuse()
  const proxy = options.proxy === false ? undefined : (options.proxy ?? proxyFromEnv())
  const agent = runDispatcher({ ...KEEP_ALIVE, connect: connectOptions(options) }, proxy)
  const setup: ClientSetup = {
    agent,
    maxBytes: options.limits?.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    timeoutMs: options.limits?.request_timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS,
    originPolicy: options.originPolicy,
    rateLimitBudget: { leftMs: options.rateLimitBudgetMs ?? RATE_LIMIT_BUDGET_MS },
  }
  return {
    send: (req, signal) => send(setup, req, signal),
    async close() {
      await agent.close().catch(() => agent.destroy())
    },
  }
}

/** One request, sent again after a 429 as rate-limit.ts allows; each attempt has its timeout. */
async function send(
  setup: ClientSetup,
  req: HttpRequest,
  signal?: AbortSignal,
): Promise<{ response: HttpResponse; exchange: Exchange }> {
  let waitedMs = 0
  for (let retries = 0; ; retries++) {
    const answered = await sendOnce(setup, req, signal)
    const wait = budgetedWait(setup, answered.response, retries)
    if (wait === undefined) {
      const limited = retries > 0 || answered.response.status === 429
      if (limited) answered.exchange.rateLimited = { retries, waitedMs }
      return answered
    }
    // Ended while waiting: end as an aborted request ends (E_INTERRUPTED, E_HTTP_TIMEOUT; an
    // aborted signal sends nothing), not with a 429 that a caller would take for the answer.
    if (!(await waitUnlessAborted(wait, signal))) return sendOnce(setup, req, signal)
    waitedMs += wait
  }
}

/** The wait before sending again, taken from the client's budget; undefined: the answer stands. */
function budgetedWait(
  setup: ClientSetup,
  response: HttpResponse,
  retries: number,
): number | undefined {
  const asked = rateLimitWait(response.status, response.headers, retries)
  if (asked === undefined || asked > setup.rateLimitBudget.leftMs) return undefined
  setup.rateLimitBudget.leftMs -= asked
  return asked
}

async function sendOnce(
  setup: ClientSetup,
  req: HttpRequest,
  signal?: AbortSignal,
): Promise<{ response: HttpResponse; exchange: Exchange }> {
  const started = performance.now()
  // One controller ends the request at the timeout or with the caller's signal (abort-relay.ts;
  // transportError checks the caller first).
  const ended = new AbortController()
  const timer = setTimeout(() => ended.abort(), setup.timeoutMs)
  const unfollow = signal ? followAbort(signal, ended) : () => {}
  const call: Call = {
    req,
    exchange: recordedRequest(req),
    started,
    caller: signal,
    signal: ended.signal,
  }
  try {
    const url = checkedUrl(call, setup.originPolicy)
    const answer = await dispatch(setup, call, url)
    return await readAnswer(setup, call, answer)
  } finally {
    clearTimeout(timer)
    unfollow()
  }
}

function recordedRequest(req: HttpRequest): Exchange {
  return {
    request: {
      method: req.method.toUpperCase(),
      url: req.url,
      headers: { ...(req.headers ?? {}) },
      // Recorded cut like response bodies: an echoed 900 KB value is not kept per exchange.
      ...(req.body !== undefined ? { body: recordedBody(req.body) } : {}),
    },
    durationMs: 0,
    ...(req.runCredentials ? { runCredentials: true as const } : {}),
  }
}

/** Rejects with the error, the exchange recorded so far attached (see `exchangeOf`). */
function failed(call: Call, error: HarnessError): never {
  call.exchange.error = error.message
  call.exchange.durationMs = Math.round(performance.now() - call.started)
  throw Object.assign(error, { exchange: call.exchange })
}

/** An http(s) URL the origin policy lets this request go to. */
function checkedUrl(call: Call, policy: OriginPolicy | undefined): URL {
  const { req } = call
  let url: URL
  try {
    url = new URL(req.url)
  } catch {
    return failed(call, new HarnessError('E_HTTP', `invalid URL: ${shownUrl(req.url)}`))
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return failed(call, new HarnessError('E_HTTP', `unsupported URL scheme: ${shownUrl(req.url)}`))
  }
  const refusal = policy?.refusal(req)
  if (refusal) return failed(call, new HarnessError('E_ORIGIN', refusal))
  return url
}

/** The request, sent again once when retry.ts allows it (a reused socket closed under it). */
async function dispatch(setup: ClientSetup, call: Call, url: URL): Promise<Answer> {
  const { method, headers } = call.exchange.request
  for (let attempt = 1; ; attempt++) {
    try {
      return await request(url, {
        method: method as 'GET',
        headers,
        body: call.req.body,
        dispatcher: setup.agent,
        signal: call.signal,
        headersTimeout: setup.timeoutMs,
        bodyTimeout: setup.timeoutMs,
      })
    } catch (error) {
      if (attempt === 1 && !call.signal.aborted && mayRetry(method, error)) continue
      return failed(call, transportError(error, call, setup.timeoutMs))
    }
  }
}

/** The bounded body, recorded cut at RECORDED_BODY_LIMIT, parsed when it is JSON. */
async function readAnswer(
  setup: ClientSetup,
  call: Call,
  answer: Answer,
): Promise<{ response: HttpResponse; exchange: Exchange }> {
  const { exchange, req } = call
  const headers = flattenHeaders(answer.headers)
  exchange.response = { status: answer.statusCode, headers }
  let bytes: Buffer
  try {
    bytes = await readLimitedBody(answer.body, setup.maxBytes)
  } catch (error) {
    // The body's own limit; an abort (the body ends with its reason) is told as while waiting.
    if (error instanceof HarnessError && !call.signal.aborted) return failed(call, error)
    return failed(call, transportError(error, call, setup.timeoutMs))
  }
  const text = bytes.toString('utf8')
  // A detached copy: a slice would keep the whole body alive with the recorded exchange.
  exchange.response.body =
    text.length > RECORDED_BODY_LIMIT ? detached(text.slice(0, RECORDED_BODY_LIMIT)) : text
  if (text.length > RECORDED_BODY_LIMIT) exchange.response.truncated = true
  exchange.durationMs = Math.round(performance.now() - call.started)
  if (jsonTooDeep(text)) {
    const where = `${exchange.request.method} ${shownUrl(req.url)}`
    return failed(
      call,
      new HarnessError('E_HTTP', `${where}: the body nests deeper than ${MAX_JSON_DEPTH} levels`),
    )
  }
  let body: unknown = text
  if (isJsonContentType(headers['content-type'])) {
    // Its depth was checked above.
    const parsed = parseJson(text)
    if (parsed.ok) body = parsed.value
  }
  return { response: { status: answer.statusCode, headers, body, text }, exchange }
}

function transportError(error: unknown, call: Call, timeoutMs: number): HarnessError {
  const { req, signal: endSignal, caller: callerSignal } = call
  const where = `${req.method.toUpperCase()} ${shownUrl(req.url)}`
  if (callerSignal?.aborted) {
    // A HarnessError reason keeps its code, before the answer or in its body alike: an interrupt
    // stays E_INTERRUPTED (harness/runner/interrupt.ts), the scenario's timer gives
    // E_HTTP_TIMEOUT (runner/scenario-phase.ts); any other reason counts as a timeout.
    const reason: unknown = callerSignal.reason
    const code = reason instanceof HarnessError ? reason.code : 'E_HTTP_TIMEOUT'
    return new HarnessError(code, `${where}: aborted (${abortReason(callerSignal)})`)
  }
  if (endSignal.aborted) {
    return new HarnessError('E_HTTP_TIMEOUT', `${where}: no complete answer within ${timeoutMs} ms`)
  }
  const described = describeTransportError(error)
  if (described.code === 'E_HTTP_TIMEOUT') {
    return new HarnessError(
      'E_HTTP_TIMEOUT',
      `${where}: ${described.message} (limit ${timeoutMs} ms)`,
    )
  }
  return new HarnessError(described.code, `${where}: ${described.message}`, { cause: error })
}

function recordedBody(body: string): string {
  return body.length > RECORDED_BODY_LIMIT ? capText(body, RECORDED_BODY_LIMIT) : body
}

/** A URL in a one-line message: a target can make one of any length (http/cap.ts). */
function shownUrl(url: string): string {
  return capText(url, MAX_MESSAGE_VALUE)
}

function abortReason(signal: AbortSignal): string {
  const reason: unknown = signal.reason
  if (reason instanceof Error) return reason.message
  return typeof reason === 'string' ? reason : 'scenario aborted'
}

/** Lower-cased header names; repeated headers joined with `, `. */
export function flattenHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    setOwnMember(flat, name.toLowerCase(), Array.isArray(value) ? value.join(', ') : value)
  }
  return flat
}

/** How the run's agent connects: its TLS trust is built here, once for all its connections. */
export function connectOptions(options: HttpClientOptions): {
  timeout: number
  secureContext?: SecureContext
  rejectUnauthorized: boolean
} {
  const timeoutMs = options.limits?.request_timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS
  return {
    timeout: Math.min(options.connectTimeoutMs ?? 5_000, timeoutMs),
    ...(options.tls?.ca ? { secureContext: trustWithExtraCa(options.tls.ca) } : {}),
    rejectUnauthorized: options.tls?.insecure !== true,
  }
}

/**
 * The default roots plus an extra CA (it adds to, not replaces, them), as one secure context for
 * the whole run: given `ca` instead, every new connection would parse all roots again (~20 ms).
 */
export function trustWithExtraCa(ca: string): SecureContext {
  return createSecureContext({ ca: [...rootCertificates, ca] })
}

/** The exchange recorded for a request that failed (attached to the error `send` rejected with). */
export function exchangeOf(error: unknown): Exchange | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const exchange = (error as { exchange?: unknown }).exchange
  return typeof exchange === 'object' && exchange !== null ? (exchange as Exchange) : undefined
}
