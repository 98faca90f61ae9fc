import { describe, expect, it } from 'vitest'
import { gatedByPreconditions, outcomeOfChecks } from '../../../harness/runner/step.ts'
import { generalised, scenarioVerdict } from '../../../harness/runner/verdict.ts'
import type { CheckResult, Outcome, StepResult } from '../../../harness/model/result.ts'

const verdictCheck = (ok: boolean, level: CheckResult['level'] = 'must'): CheckResult => ({
  name: 'status',
  level,
  ok,
  requirement: 'R7591-3.2.1-a',
})
const precondition = (ok: boolean, extra: Partial<CheckResult> = {}): CheckResult => ({
  name: 'status',
  level: 'must',
  ok,
  ...(ok ? {} : { message: 'expected 2xx, got 400', actual: 400 }),
  ...extra,
})

function step(id: string, checks: CheckResult[], outcome?: Outcome): StepResult {
  return {
    id,
    action: 'register',
    outcome: outcome ?? outcomeOfChecks(checks),
    durationMs: 1,
    checks,
    exchanges: [],
    artifacts: [],
  }
}

describe('outcomeOfChecks', () => {
  it('fails only on a must check that names a requirement', () => {
    expect(outcomeOfChecks([verdictCheck(false)])).toBe('failed')
    expect(outcomeOfChecks([verdictCheck(false, 'should')])).toBe('warned')
    expect(outcomeOfChecks([verdictCheck(false, 'may')])).toBe('passed')
  })

  it('makes a failed precondition inconclusive, whatever its level, never failed', () => {
    expect(outcomeOfChecks([precondition(false)])).toBe('inconclusive')
    expect(outcomeOfChecks([precondition(false, { level: 'should' })])).toBe('inconclusive')
  })

  it('lets a failed verdict outrank a failed precondition (when not gated)', () => {
    expect(outcomeOfChecks([precondition(false), verdictCheck(false)])).toBe('failed')
  })
})

describe('scenarioVerdict', () => {
  it('passes when every check held and one names a requirement', () => {
    const verdict = scenarioVerdict([step('reg', [precondition(true)]), step('x', [verdictCheck(true)])], undefined)
    expect(verdict).toEqual({ outcome: 'passed' })
  })

  it('is inconclusive at a failed set-up step, naming the step, the answer and what it violates', () => {
    const steps = [step('reg', [precondition(false, { violates: 'R7592-3-a' })])]
    const verdict = scenarioVerdict(steps, undefined)
    expect(verdict.outcome).toBe('inconclusive')
    expect(verdict.blocker).toEqual({
      step: 'reg',
      action: 'register',
      answer: 'status: expected 2xx, got 400',
      cause: 'register: status: expected 2xx, got 400',
      violates: 'R7592-3-a',
    })
    expect(verdict.message).toMatch(/precondition failed at step 'reg'/)
  })

  it('keeps a failure proven before a later precondition failed', () => {
    const steps = [step('a', [verdictCheck(false)]), step('b', [precondition(false)])]
    expect(scenarioVerdict(steps, undefined).outcome).toBe('failed')
  })

  it('skips a scenario whose checks on requirements were all not applicable', () => {
    const na: CheckResult = { ...verdictCheck(true), notApplicable: 'body.at_hash is absent' }
    const verdict = scenarioVerdict([step('reg', [precondition(true)]), step('x', [na])], undefined)
    expect(verdict).toEqual({ outcome: 'skipped', message: 'not applicable: body.at_hash is absent' })
  })

  it('skips, naming the condition, when every step that would test something had a `when` that did not hold', () => {
    const verdict = scenarioVerdict([step('reg', [precondition(true)])], undefined, [
      "condition of step 'grant' not met",
    ])
    expect(verdict).toEqual({ outcome: 'skipped', message: "not applicable: condition of step 'grant' not met" })
  })

  it('errors when only preconditions ran (nothing was tested)', () => {
    expect(scenarioVerdict([step('reg', [precondition(true)])], undefined).outcome).toBe('errored')
  })

  it('skips when a step did not apply and nothing went wrong before it', () => {
    const verdict = scenarioVerdict([step('reg', [precondition(true)])], 'no other_scope')
    expect(verdict).toEqual({ outcome: 'skipped', message: 'not applicable: no other_scope' })
  })
})

describe('generalised', () => {
  it('folds run-specific values so one server behaviour is one root cause', () => {
    const a = generalised('body: /client_id: expected absent, got "c-8f2a9d1e0b7c4f3a9e1d"')
    const b = generalised('body: /client_id: expected absent, got "c-0a1b2c3d4e5f6a7b8c9d"')
    expect(a).toBe(b)
    expect(generalised('at https://127.0.0.1:41234/x')).toBe('at https://127.0.0.1:PORT/x')
  })
})

describe('gatedByPreconditions', () => {
  it("makes a step's checks on requirements not applicable when its precondition failed", () => {
    const gated = gatedByPreconditions([precondition(false), verdictCheck(false)])
    expect(gated[1]).toMatchObject({ ok: true, notApplicable: "precondition 'status' of this step did not hold" })
    expect(gated[1]?.message).toBeUndefined()
    expect(outcomeOfChecks(gated)).toBe('inconclusive')
  })

  it('leaves the checks alone when every precondition held', () => {
    const checks = [precondition(true), verdictCheck(false)]
    expect(gatedByPreconditions(checks)).toBe(checks)
  })
})
