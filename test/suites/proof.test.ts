import { describe, expect, it } from 'vitest'
import type { CheckResult, Outcome, ScenarioResult } from '../../harness/model/result.ts'
import { proofProblem } from './proof.ts'

function result(outcome: Outcome, checks: CheckResult[], message?: string): ScenarioResult {
  return {
    id: 'area/x',
    title: 'x',
    file: 'x',
    requirements: ['R-1'],
    tags: [],
    outcome,
    durationMs: 1,
    ...(message ? { message } : {}),
    steps: [
      { id: 's', action: 'http', outcome, durationMs: 1, checks, exchanges: [], artifacts: [] },
    ],
  }
}

const failedMust = (requirement: string): CheckResult => ({
  name: 'status',
  level: 'must',
  ok: false,
  requirement,
})
const failedShould = (requirement: string): CheckResult => ({
  name: 'status',
  level: 'should',
  ok: false,
  requirement,
})

const precondition: CheckResult = { name: 'status', level: 'must', ok: false }

describe('proofProblem', () => {
  it("holds when a check citing one of the fault's requirements fails", () => {
    expect(proofProblem(result('failed', [failedMust('R-1')]), ['R-1'])).toBeUndefined()
    expect(proofProblem(result('failed', [failedMust('R-2')]), ['R-1', 'R-2'])).toBeUndefined()
  })

  it('holds for a SHOULD rule that warns', () => {
    expect(proofProblem(result('warned', [failedShould('R-1')]), ['R-1'])).toBeUndefined()
  })

  it("does not hold for a failure on another requirement than the fault's", () => {
    expect(proofProblem(result('failed', [failedMust('R-9')]), ['R-1'])).toMatch(
      /cites R-9\).*no failed check cites R-1/,
    )
  })

  it('does not hold for a failed precondition (an inconclusive scenario)', () => {
    expect(proofProblem(result('inconclusive', [precondition]), ['R-1'])).toMatch(
      /outcome inconclusive.*precondition/,
    )
  })

  it('does not hold for a scenario that passed, errored, was skipped or gave no result', () => {
    expect(proofProblem(result('passed', []), ['R-1'])).toMatch(/outcome passed/)
    expect(proofProblem(result('errored', [], 'E_TEMPLATE: unresolved'), ['R-1'])).toMatch(
      /errored \(E_TEMPLATE/,
    )
    expect(proofProblem(result('skipped', [], 'requires x'), ['R-1'])).toMatch(/skipped/)
    expect(proofProblem(undefined, ['R-1'])).toBe('no result')
  })
})
