import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  deviationOutcomes,
  excuseKnownDeviations,
  loadExpectations,
  type KnownDeviation,
} from '../../../harness/runner/expectations.ts'
import type { CheckResult, ScenarioResult } from '../../../harness/model/result.ts'
import { displayOutcome } from '../../../reporters/summary.ts'
import { isUnexpectedProblem } from '../../../harness/verdicts/run-status.ts'
import { oneStepScenario } from '../../reporters/sample-report.ts'

async function file(text: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'dcrc-expect-')), 'expectations.yaml')
  await writeFile(path, text)
  return path
}

const known = { scenarios: new Set(['a/b', 'a/c']), requirements: new Set(['R-1', 'R-2']) }

/** A scenario `id` with one step of `checks`; its outcome follows the checks like a run's. */
function result(id: string, checks: CheckResult[]): ScenarioResult {
  return oneStepScenario(id, checks, { step: 'reg', action: 'register' })
}

const check = (name: string, requirement: string | undefined, ok: boolean): CheckResult => ({
  name,
  level: 'must',
  ok,
  ...(requirement ? { requirement } : {}),
})

describe('loadExpectations', () => {
  it('loads entries by requirement, optionally narrowed to a scenario and a check', async () => {
    const path = await file(
      'expectations:\n' +
        '  - { requirement: R-1, reason: "answers 200 (ticket 1)" }\n' +
        '  - { requirement: R-2, scenario: a/b, check: status, reason: "no 201" }\n',
    )
    expect(await loadExpectations(path, known)).toEqual([
      { requirement: 'R-1', reason: 'answers 200 (ticket 1)' },
      { requirement: 'R-2', scenario: 'a/b', check: 'status', reason: 'no 201' },
    ])
  })

  it('reports schema errors with their locations', async () => {
    const path = await file(
      'expectations:\n  - { scenario: a/b, reason: x }\n  - { requirement: R-1, outcome: failed, reason: y }\n',
    )
    await expect(loadExpectations(path, known)).rejects.toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({
          message: expect.stringMatching(
            /expectations\.yaml:2:\d+: expectations\.0: missing required key 'requirement'/,
          ),
        }),
        expect.objectContaining({
          message: expect.stringMatching(/expectations\.yaml:3:\d+: .*outcome/),
        }),
      ]),
    })
  })

  it('refuses unknown ids, repeated entries and a check without its scenario', async () => {
    const path = await file(
      'expectations:\n' +
        '  - { requirement: R-1, scenario: a/b, reason: x }\n' +
        '  - { requirement: R-1, scenario: a/b, reason: y }\n' +
        '  - { requirement: R-9, reason: z }\n' +
        '  - { requirement: R-2, scenario: z/z, reason: z }\n' +
        '  - { requirement: R-2, check: status, reason: z }\n',
    )
    await expect(loadExpectations(path, known)).rejects.toMatchObject({
      message: expect.stringMatching(
        new RegExp(
          [
            ":3:\\d+: the same deviation is listed twice",
            ":4:\\d+: unknown requirement 'R-9'",
            ":5:\\d+: unknown scenario 'z/z'",
            ':6:\\d+: a check is named only together with its scenario',
          ].join('\n.*'),
        ),
      ),
    })
  })
})

describe('excuseKnownDeviations', () => {
  const deviations: KnownDeviation[] = [
    { requirement: 'R-1', scenario: 'a/b', check: 'status', reason: 'answers 200' },
  ]

  it('excuses only failed checks citing the requirement, in the scenario and check named', () => {
    const excused = excuseKnownDeviations(
      result('a/b', [check('status', 'R-1', false), check('body', 'R-1', false)]),
      deviations,
    )
    expect(excused.steps[0]?.checks.map((c) => c.excused)).toEqual(['answers 200', undefined])
    // Another failure in the same scenario still fails the run.
    expect(isUnexpectedProblem(excused)).toBe(true)
    const other = excuseKnownDeviations(result('a/c', [check('status', 'R-1', false)]), deviations)
    expect(other.steps[0]?.checks[0]?.excused).toBeUndefined()
  })

  it('makes a scenario whose only failures are excused an xfail that does not fail the run', () => {
    const excused = excuseKnownDeviations(result('a/b', [check('status', 'R-1', false)]), [
      { requirement: 'R-1', reason: 'known' },
    ])
    expect(displayOutcome(excused)).toBe('xfail')
    expect(isUnexpectedProblem(excused)).toBe(false)
    // Preconditions (no requirement) and passing checks are never excused.
    const untouched = excuseKnownDeviations(
      result('a/b', [check('status', undefined, false), check('body', 'R-1', true)]),
      [{ requirement: 'R-1', reason: 'known' }],
    )
    expect(untouched.steps[0]?.checks.every((c) => c.excused === undefined)).toBe(true)
  })
})

describe('deviationOutcomes', () => {
  it('is met when it excused a failure, stale when what it covers held, else unused', () => {
    const deviations: KnownDeviation[] = [
      { requirement: 'R-1', scenario: 'a/b', reason: 'fails' },
      { requirement: 'R-1', scenario: 'a/c', reason: 'used to fail' },
      { requirement: 'R-2', reason: 'not tested here' },
    ]
    const scenarios = [
      result('a/b', [check('status', 'R-1', false)]),
      result('a/c', [check('status', 'R-1', true)]),
    ].map((scenario) => excuseKnownDeviations(scenario, deviations))
    expect(deviationOutcomes(deviations, scenarios).map((entry) => entry.state)).toEqual([
      'met',
      'stale',
      'unused',
    ])
  })

  it('ignores not-applicable checks; a failed MAY check is no failure to excuse', () => {
    const deviations: KnownDeviation[] = [{ requirement: 'R-1', reason: 'r' }]
    const notApplicable = { ...check('status', 'R-1', true), notApplicable: 'no at_hash' }
    const may = { ...check('status', 'R-1', false), level: 'may' as const }
    expect(deviationOutcomes(deviations, [result('a/b', [notApplicable])])[0]?.state).toBe(
      'unused',
    )
    expect(deviationOutcomes(deviations, [result('a/b', [may])])[0]?.state).toBe('stale')
  })
})
