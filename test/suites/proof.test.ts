import { describe, expect, it } from 'vitest'
import type { LoadedScenario } from '../../harness/scenario/load.ts'
import type { CheckResult, Outcome, ScenarioResult } from '../../harness/types.ts'
import { proofProblem } from './proof.ts'

const scenario = {
  doc: {
    id: 'area/x',
    title: 'x',
    requirements: ['R-1'],
    steps: [
      { id: 's', http: { url: 'https://x.test/' }, expect: { status: 200, requirement: 'R-2' } },
    ],
  },
  file: '/suites/area/x.yaml',
  relativeFile: 'suites/area/x.yaml',
  locate: () => ({ file: 'x', line: 1, column: 1 }),
} as unknown as LoadedScenario

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

describe('proofProblem', () => {
  it('accepts a failed must check naming one of the scenario requirements (also step/check level ones)', () => {
    expect(proofProblem(scenario, result('failed', [failedMust('R-1')]))).toBeUndefined()
    expect(proofProblem(scenario, result('failed', [failedMust('R-2')]))).toBeUndefined()
  })

  it('accepts a warned outcome when a failed should check names a scenario requirement', () => {
    expect(proofProblem(scenario, result('warned', [failedShould('R-1')]))).toBeUndefined()
  })

  it('refuses passed, errored and skipped outcomes and a missing result', () => {
    expect(proofProblem(scenario, result('passed', []))).toMatch(/outcome passed/)
    expect(proofProblem(scenario, result('errored', [], 'E_TEMPLATE: unresolved'))).toMatch(
      /errored \(E_TEMPLATE/,
    )
    expect(proofProblem(scenario, result('skipped', [], 'requires x'))).toMatch(/skipped/)
    expect(proofProblem(scenario, undefined)).toBe('no result')
  })

  it('refuses a failure that names no requirement of the scenario', () => {
    expect(proofProblem(scenario, result('failed', [failedMust('R-9')]))).toMatch(
      /no failed must check names one of R-1, R-2/,
    )
    expect(proofProblem(scenario, result('failed', [failedShould('R-1')]))).toMatch(
      /no failed must check/,
    )
  })
})
