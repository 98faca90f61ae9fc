/**
 * 429 Too Many Requests (RFC 6585 §4). Rate limiting is the server's right (RFC 7591 §3.1 allows
 * it on the registration endpoint) and never a verdict, so a request the server turned away for
 * its rate is sent again after the wait it asks for (`Retry-After`, RFC 9110 §10.2.3), at most
 * MAX_RATE_LIMIT_RETRIES times and never after a wait longer than MAX_RATE_LIMIT_WAIT_MS: past
 * either, or past the run's RATE_LIMIT_BUDGET_MS, the 429 is the answer the run sees. The
 * exchange says how often and how long it waited.
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
import { setTimeout as delay } from 'node:timers/promises'

export const MAX_RATE_LIMIT_RETRIES = 2
export const MAX_RATE_LIMIT_WAIT_MS = 10_000
/**
 * All the waiting one client (one run) does for 429s: a target that rate-limits everything does
 * not stretch a run by the wait per request; past it, its 429s are answers.
 */
export const RATE_LIMIT_BUDGET_MS = 60_000

/** Without `Retry-After`: 1 s, then 2 s. */
const DEFAULT_WAIT_MS = 1_000

/**
 * How long to wait before sending again, or undefined when the answer is not to be retried (not
 * a 429, retries used up, or a wait longer than the harness accepts).
 */
export function rateLimitWait(
  status: number,
  headers: Readonly<Record<string, string>>,
  retriesSoFar: number,
  now = Date.now(),
): number | undefined {
  if (status !== 429 || retriesSoFar >= MAX_RATE_LIMIT_RETRIES) return undefined
  const asked = retryAfterMs(headers['retry-after'], now)
  const wait = asked ?? DEFAULT_WAIT_MS * 2 ** retriesSoFar
  return wait <= MAX_RATE_LIMIT_WAIT_MS ? wait : undefined
}

/** An IMF-fixdate (RFC 9110 §5.6.7), the HTTP-date form a sender generates. */
const IMF_FIXDATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/

/**
 * `Retry-After`: delay-seconds or an HTTP-date (a past date is no wait); undefined for anything
 * else (`1.5`, `-1`, which Date.parse would read as some date), so the default wait applies.
 */
function retryAfterMs(value: string | undefined, now: number): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  if (!IMF_FIXDATE.test(text)) return undefined
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/** Waits `ms`; false (at once) when the caller's signal ends the wait. */
export async function waitUnlessAborted(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return false
  return delay(ms, true, signal ? { signal } : {}).catch(() => false)
}
