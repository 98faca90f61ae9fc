/**
 * A step whose answer is still 429 Too Many Requests after the HTTP client's retries
 * (harness/http/rate-limit.ts) judges nothing: the server turned the request away for its rate
 * (RFC 7591 §3.1 allows that), so neither a refusal check nor a success check may rest on it. A
 * failing precondition says so; the step and its scenario are then inconclusive, with this cause.
 * @see https://www.rfc-editor.org/rfc/rfc6585#section-4
 */
import type { CheckResult, StepData } from '../model/result.ts'

export const RATE_LIMITED_CHECK = 'the target answered the request (not 429 Too Many Requests)'

/** The failing precondition of a rate-limited answer, or none. */
export function rateLimitedChecks(data: StepData | undefined): CheckResult[] {
  if (data?.status !== 429) return []
  return [
    {
      name: RATE_LIMITED_CHECK,
      level: 'must',
      ok: false,
      message: 'rate limited (429) past the harness\'s retries: this answer judges nothing',
      actual: 429,
    },
  ]
}
