/**
 * The run's HTTP client: one keep-alive undici Agent, no redirects, bounded bodies and times, and
 * every exchange recorded for the report (redaction happens later, before any reporter).
 */
import { rootCertificates } from 'node:tls'
import { Agent, request } from 'undici'
import { HarnessError } from '../errors.ts'
import type { Exchange } from '../types.ts'
import type { HttpClient, HttpRequest, HttpResponse } from '../actions/action.ts'
import { describeTransportError } from './errors.ts'
import { readLimitedBody } from './body.ts'
import type { OriginPolicy } from './origin-policy.ts'
import { isJsonContentType, jsonTooDeep, MAX_JSON_DEPTH, parseJsonOrUndefined } from './json.ts'

export interface HttpClientOptions {
  limits?: { max_response_bytes?: number; request_timeout_ms?: number }
  tls?: { ca?: string; insecure?: boolean }
  /** Connect timeout in milliseconds (default 5 s, never more than the request timeout). */
  connectTimeoutMs?: number
  /** Where credentials may go and which addresses are never contacted (origin-policy.ts). */
  originPolicy?: OriginPolicy
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000
/** Response bodies longer than this are cut in the recorded exchange (the action sees all). */
export const RECORDED_BODY_LIMIT = 64 * 1024

export type ClosableHttpClient = HttpClient & { close(): Promise<void> }

/** Creates the run's HTTP client. `tls.ca` is PEM text added to the default trust store. */
export function createHttpClient(options: HttpClientOptions = {}): ClosableHttpClient {
  const maxBytes = options.limits?.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const timeoutMs = options.limits?.request_timeout_ms ?? DEFAULT_REQUEST_TIMEOUT_MS
  const connectTimeout = Math.min(options.connectTimeoutMs ?? 5_000, timeoutMs)
  const agent = new Agent({
    keepAliveTimeout: 10_000,
    connect: {
      timeout: connectTimeout,
      ...(options.tls?.ca ? { ca: [...defaultCertificates(), options.tls.ca] } : {}),
      rejectUnauthorized: options.tls?.insecure !== true,
    },
  })

  async function send(
    req: HttpRequest,
    signal?: AbortSignal,
  ): Promise<{ response: HttpResponse; exchange: Exchange }> {
    const started = performance.now()
    const headers = { ...(req.headers ?? {}) }
    const exchange: Exchange = {
      request: {
        method: req.method.toUpperCase(),
        url: req.url,
        headers,
        ...(req.body !== undefined ? { body: req.body } : {}),
      },
      durationMs: 0,
    }
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(), timeoutMs)
    const combined = signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal
    const fail = (error: HarnessError): never => {
      exchange.error = error.message
      exchange.durationMs = Math.round(performance.now() - started)
      throw Object.assign(error, { exchange })
    }
    try {
      let url: URL
      try {
        url = new URL(req.url)
      } catch {
        return fail(new HarnessError('E_HTTP', `invalid URL: ${req.url}`))
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        return fail(new HarnessError('E_HTTP', `unsupported URL scheme: ${req.url}`))
      }
      const refusal = options.originPolicy?.refusal(req)
      if (refusal) return fail(new HarnessError('E_ORIGIN', refusal))
      let answer: Awaited<ReturnType<typeof request>>
      try {
        answer = await request(url, {
          method: exchange.request.method as 'GET',
          headers,
          body: req.body,
          dispatcher: agent,
          signal: combined,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        })
      } catch (error) {
        return fail(transportError(error, req, timeout.signal, signal, timeoutMs))
      }
      const responseHeaders = flattenHeaders(answer.headers)
      exchange.response = { status: answer.statusCode, headers: responseHeaders }
      let bytes: Buffer
      try {
        bytes = await readLimitedBody(answer.body, maxBytes)
      } catch (error) {
        if (error instanceof HarnessError) return fail(error)
        return fail(transportError(error, req, timeout.signal, signal, timeoutMs))
      }
      const text = bytes.toString('utf8')
      exchange.response.body =
        text.length > RECORDED_BODY_LIMIT ? text.slice(0, RECORDED_BODY_LIMIT) : text
      if (text.length > RECORDED_BODY_LIMIT) exchange.response.truncated = true
      exchange.durationMs = Math.round(performance.now() - started)
      let body: unknown = text
      if (jsonTooDeep(text)) {
        return fail(
          new HarnessError(
            'E_HTTP',
            `${exchange.request.method} ${req.url}: the body nests deeper than ${MAX_JSON_DEPTH} levels`,
          ),
        )
      }
      if (isJsonContentType(responseHeaders['content-type'])) {
        const parsed = parseJsonOrUndefined(text)
        if (parsed.ok) body = parsed.value
      }
      return {
        response: { status: answer.statusCode, headers: responseHeaders, body, text },
        exchange,
      }
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    send,
    async close() {
      await agent.close().catch(() => agent.destroy())
    },
  }
}

function transportError(
  error: unknown,
  req: HttpRequest,
  timeoutSignal: AbortSignal,
  callerSignal: AbortSignal | undefined,
  timeoutMs: number,
): HarnessError {
  const where = `${req.method.toUpperCase()} ${req.url}`
  if (callerSignal?.aborted) {
    return new HarnessError('E_HTTP_TIMEOUT', `${where}: aborted (${abortReason(callerSignal)})`)
  }
  if (timeoutSignal.aborted) {
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
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value
  }
  return flat
}

/** Extra CAs add to, not replace, the default roots. */
function defaultCertificates(): string[] {
  return [...rootCertificates]
}

/** The exchange recorded for a request that failed (attached to the error `send` rejected with). */
export function exchangeOf(error: unknown): Exchange | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const exchange = (error as { exchange?: unknown }).exchange
  return typeof exchange === 'object' && exchange !== null ? (exchange as Exchange) : undefined
}
