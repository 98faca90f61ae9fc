/**
 * A step whose answer is still 429 (harness/verdicts/rate-limited.ts): a failing precondition, so
 * its checks on requirements judge nothing and the step is inconclusive (runStep then leaves the
 * expectations unrendered; test/harness/runner/step.test.ts shows that for its sibling,
 * credentials-refused.ts).
 */
import { describe, expect, it } from 'vitest'
import type { CheckResult, Exchange } from '../../../harness/model/result.ts'
import { RATE_LIMITED_CHECK, rateLimitedChecks } from '../../../harness/verdicts/rate-limited.ts'
import { gatedByPreconditions, outcomeOfChecks } from '../../../harness/runner/step.ts'

describe('rateLimitedChecks', () => {
  it('turns a 429 answer into a failed precondition that gates the step', () => {
    const refusal: CheckResult = { name: 'status', level: 'must', ok: true, requirement: 'R-1' }
    const checks = gatedByPreconditions([...rateLimitedChecks({ status: 429 }), refusal])
    expect(checks.map((check) => [check.name, check.ok, check.notApplicable !== undefined])).toEqual([
      [RATE_LIMITED_CHECK, false, false],
      ['status', true, true],
    ])
    expect(outcomeOfChecks(checks)).toBe('inconclusive')
  })

  it('adds nothing to any other answer', () => {
    expect(rateLimitedChecks({ status: 400 })).toEqual([])
    expect(rateLimitedChecks(undefined)).toEqual([])
    expect(rateLimitedChecks({ status: 201 }, [answered(200, 'https://as.test/token')])).toEqual([])
  })

  it('a 429 page the browser loaded is the page\'s, not the client\'s rate limit', () => {
    const { rateLimited: _r, ...page } = answered(429, 'https://as.test/authorize')
    expect(rateLimitedChecks({ status: 302 }, [page])).toEqual([])
  })

  it('a 429 on the way (the IAT fetch before a registration) judges nothing either', () => {
    const exchanges = [
      answered(429, 'https://as.test/token?x=1#f'),
      answered(201, 'https://as.test/reg'),
    ]
    const [check, ...rest] = rateLimitedChecks({ status: 201 }, exchanges)
    expect(rest).toEqual([])
    expect([check?.name, check?.ok, check?.requirement, check?.actual]).toEqual([
      RATE_LIMITED_CHECK,
      false,
      undefined,
      429,
    ])
    // The request is named without its query or fragment (a code, a state).
    expect(check?.message).toBe(
      "rate limited (429) past the harness's retries (POST https://as.test/token): " +
        'this step judges nothing',
    )
  })
})

/** An exchange as the HTTP client records it: a final 429 carries its retries. */
function answered(status: number, url: string): Exchange {
  return {
    request: { method: 'POST', url, headers: {} },
    response: { status, headers: {} },
    durationMs: 1,
    ...(status === 429 ? { rateLimited: { retries: 0, waitedMs: 0 } } : {}),
  }
}
