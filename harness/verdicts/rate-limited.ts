/**
 * A step with an answer still 429 Too Many Requests after the HTTP client's retries
 * (harness/http/rate-limit.ts) judges nothing: the server turned a request away for its rate
 * (RFC 7591 §3.1 allows that), so neither a refusal check nor a success check may rest on it.
 * That holds for the step's own answer and for a request its action made on the way (the IAT
 * fetch before a registration, the token exchange after a login, a fixture's request): what the
 * step returns is then built on an answer that was no answer. A failing precondition says so; the
 * step and its scenario are inconclusive, with this cause.
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
import type { CheckResult, Exchange, StepData } from '../model/result.ts'

export const RATE_LIMITED_CHECK = 'the target answered the request (not 429 Too Many Requests)'

/**
 * Whether the harness's HTTP client ended an exchange with a 429 it no longer retries: it marks
 * those (`rateLimited`); a page the browser loaded is not marked, and its 429 is the page's.
 */
export function rateLimitedOut(exchange: Exchange | undefined): exchange is Exchange {
  return exchange?.rateLimited !== undefined && exchange.response?.status === 429
}

/** The failing precondition of a step with a rate-limited answer, or none. */
export function rateLimitedChecks(
  data: StepData | undefined,
  exchanges: readonly Exchange[] = [],
): CheckResult[] {
  const limited = exchanges.find(rateLimitedOut)
  if (data?.status !== 429 && !limited) return []
  const where = limited ? ` (${limited.request.method} ${withoutQuery(limited.request.url)})` : ''
  return [
    {
      name: RATE_LIMITED_CHECK,
      level: 'must',
      ok: false,
      message: `rate limited (429) past the harness's retries${where}: this step judges nothing`,
      actual: 429,
    },
  ]
}

/** A URL as a message may show it: no query or fragment (a code, a state). */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/)
  return cut < 0 ? url : url.slice(0, cut)
}
