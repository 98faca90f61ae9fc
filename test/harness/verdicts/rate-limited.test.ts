/**
 * A step whose answer is still 429 (harness/verdicts/rate-limited.ts): a failing precondition, so
 * its checks on requirements judge nothing and the step is inconclusive (runStep then leaves the
 * expectations unrendered; test/harness/runner/step.test.ts shows that for its sibling,
 * credentials-refused.ts).
 */
import { describe, expect, it } from 'vitest'
import type { CheckResult } from '../../../harness/model/result.ts'
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
  })
})
