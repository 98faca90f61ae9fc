/**
 * Actions that send one HTTP request are split in two: `prepare` builds the request (and may
 * obtain an IAT or sign an assertion), `finish` turns the answer into step data. `parallel` uses
 * the split to build every copy first and release them together.
 */
import type { ActionContext, ActionResult } from './action.ts'
import type { HttpRequest, HttpResponse } from '../http/types.ts'
import type { Exchange, StepData } from '../model/result.ts'
import { exchangeOf } from '../http/client.ts'
import { HarnessError } from '../errors.ts'
import { parseJsonOrUndefined } from '../http/json.ts'

export interface PreparedRequest {
  request: HttpRequest
  /** Exchanges made while preparing (e.g. obtaining an IAT). */
  exchanges: Exchange[]
  finish(response: HttpResponse, context: ActionContext): StepData
}

/** Sends a prepared request; a transport failure rejects with the exchanges attached. */
export async function sendPrepared(
  prepared: PreparedRequest,
  context: ActionContext,
): Promise<ActionResult> {
  let sent: Awaited<ReturnType<ActionContext['http']['send']>>
  try {
    sent = await context.http.send(prepared.request, context.signal)
  } catch (error) {
    const exchange = exchangeOf(error)
    throw withExchanges(error, [...prepared.exchanges, ...(exchange ? [exchange] : [])])
  }
  const exchanges = [...prepared.exchanges, sent.exchange]
  try {
    return { data: prepared.finish(sent.response, context), exchanges }
  } catch (error) {
    throw withExchanges(error, exchanges)
  }
}

/** Attaches exchanges to an error so the runner can still report them. */
export function withExchanges(error: unknown, exchanges: Exchange[]): Error {
  const base = error instanceof Error ? error : new HarnessError('E_ACTION', String(error))
  return Object.assign(base, { exchanges })
}

/** Exchanges attached to an error thrown by an action. */
export function exchangesOf(error: unknown): Exchange[] {
  if (typeof error !== 'object' || error === null) return []
  const list = (error as { exchanges?: unknown }).exchanges
  if (Array.isArray(list)) return list as Exchange[]
  const one = exchangeOf(error)
  return one ? [one] : []
}

/** `{status, headers, body, ...body members}`: members first so they never hide the basics. */
export function responseData(
  response: HttpResponse,
  extra: Record<string, unknown> = {},
): StepData {
  const members =
    typeof response.body === 'object' && response.body !== null && !Array.isArray(response.body)
      ? (response.body as Record<string, unknown>)
      : {}
  return {
    ...members,
    ...extra,
    status: response.status,
    headers: response.headers,
    body: response.body,
  }
}

/**
 * Registration and token endpoints answer success with a JSON object (RFC 7591 §3.2.1,
 * RFC 6749 §5.1); a 2xx answer that is not JSON means the URL is not such an endpoint (a login
 * page, a proxy error): the step cannot be judged, so it errors with what came back.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3.2.1
 */
export function requireJsonSuccess(response: HttpResponse, what: string): void {
  if (response.status < 200 || response.status >= 300) return
  if (typeof response.body === 'object' && response.body !== null) return
  // JSON under a wrong content type is the checks' business (a failure, not an error).
  if (parseJsonOrUndefined(response.text).ok) return
  const type = response.headers['content-type'] ?? 'no content-type'
  const snippet = response.text.slice(0, 120).replace(/\s+/g, ' ')
  const why =
    response.text === '' ? 'an empty body' : `a body that is not JSON (${type}): ${snippet}`
  throw new HarnessError('E_HTTP', `${what} answered ${response.status} with ${why}`)
}
