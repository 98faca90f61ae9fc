import { describe, expect, it } from 'vitest'
import { countVerdicts, requirementVerdicts } from '../../../harness/verdicts/requirements.ts'
import type { CheckResult, Outcome, ScenarioResult } from '../../../harness/model/result.ts'

function scenario(id: string, outcome: Outcome, requirements: string[], checks: CheckResult[]): ScenarioResult {
  return {
    id,
    title: id,
    file: `suites/${id}.yaml`,
    requirements,
    tags: [],
    outcome,
    durationMs: 1,
    steps: [{ id: 's', action: 'http', outcome, durationMs: 1, checks, exchanges: [], artifacts: [] }],
  }
}
const check = (requirement: string | undefined, ok: boolean, extra: Partial<CheckResult> = {}): CheckResult => ({
  name: 'status',
  level: 'must',
  ok,
  ...(requirement ? { requirement } : {}),
  ...extra,
})
const catalog = new Map([
  ['R-A', { title: 'A holds', level: 'must' as const }],
  ['R-B', { title: 'B holds', level: 'should' as const }],
])

describe('requirementVerdicts', () => {
  it('gives fail, warn and pass from the checks that cite each requirement', () => {
    const verdicts = requirementVerdicts(
      [
        scenario('x/1', 'failed', ['R-A'], [check('R-A', false)]),
        scenario('x/2', 'passed', ['R-A'], [check('R-A', true)]),
        scenario('x/3', 'warned', ['R-B'], [check('R-B', false, { level: 'should' })]),
        scenario('x/4', 'passed', ['R-C'], [check('R-C', true)]),
      ],
      catalog,
    )
    expect(verdicts.map((v) => [v.id, v.verdict])).toEqual([
      ['R-A', 'fail'],
      ['R-B', 'warn'],
      ['R-C', 'pass'],
    ])
    expect(verdicts[0]).toMatchObject({ title: 'A holds', level: 'must', scenarios: ['x/1', 'x/2'] })
    expect(verdicts[0]!.checks).toHaveLength(2)
  })

  it('never counts a precondition: a blocked scenario makes its requirement inconclusive', () => {
    const verdicts = requirementVerdicts([scenario('x/1', 'inconclusive', ['R-A'], [check(undefined, false)])])
    expect(verdicts).toEqual([
      expect.objectContaining({ id: 'R-A', verdict: 'inconclusive', checks: [] }),
    ])
  })

  it('says not applicable for checks that did not apply and for skipped scenarios, untested otherwise', () => {
    const verdicts = requirementVerdicts([
      scenario('x/1', 'skipped', ['R-A'], []),
      scenario('x/2', 'skipped', ['R-B'], [check('R-B', true, { notApplicable: 'absent' })]),
      scenario('x/3', 'errored', ['R-C'], []),
    ])
    expect(verdicts.map((v) => v.verdict)).toEqual(['not-applicable', 'not-applicable', 'untested'])
  })

  it('marks a failure excused only when every failure behind it is a known deviation', () => {
    const excused = check('R-A', false, { excused: 'known' })
    expect(requirementVerdicts([scenario('x/1', 'failed', ['R-A'], [excused])])[0]).toMatchObject({
      verdict: 'fail',
      excused: true,
    })
    const mixed = requirementVerdicts([scenario('x/1', 'failed', ['R-A'], [excused, check('R-A', false)])])
    expect(mixed[0]!.excused).toBeUndefined()
  })

  it('counts verdicts', () => {
    const verdicts = requirementVerdicts([
      scenario('x/1', 'failed', ['R-A'], [check('R-A', false)]),
      scenario('x/2', 'passed', ['R-B'], [check('R-B', true)]),
    ])
    expect(countVerdicts(verdicts)).toMatchObject({ fail: 1, pass: 1, warn: 0 })
  })
})
