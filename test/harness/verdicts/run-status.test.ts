/**
 * The run's status (harness/verdicts/run-status.ts): a run that judged nothing never passes.
 */
import { describe, expect, it } from 'vitest'
import type { ScenarioResult } from '../../../harness/model/result.ts'
import { nothingJudged, statusOf } from '../../../harness/verdicts/run-status.ts'

function scenario(id: string, outcome: ScenarioResult['outcome']): ScenarioResult {
  const file = `${id}.yaml`
  return { id, title: id, file, requirements: [], tags: [], outcome, durationMs: 0, steps: [] }
}

describe('statusOf', () => {
  it('errors a run in which every scenario was skipped or inconclusive, and says why', () => {
    const none = [scenario('a', 'skipped'), scenario('b', 'inconclusive'), scenario('c', 'skipped')]
    expect(statusOf(none)).toBe('errored')
    expect(nothingJudged(none)).toBe(
      'nothing was judged: of 3 scenarios, 2 skipped and 1 inconclusive (see their reasons)',
    )
  })

  it('passes a run with one judged scenario beside skipped and inconclusive ones', () => {
    const some = [scenario('a', 'skipped'), scenario('b', 'inconclusive'), scenario('c', 'passed')]
    expect([statusOf(some), nothingJudged(some)]).toEqual(['passed', undefined])
    expect(statusOf([scenario('a', 'warned'), scenario('b', 'skipped')])).toBe('passed')
  })

  it('counts a requirement judged on the way by a scenario that ended inconclusive', () => {
    const judged = { name: 'status', level: 'must' as const, ok: true, requirement: 'R-1' }
    const step = { id: 's', action: 'http' as const, outcome: 'passed' as const, durationMs: 0 }
    const partly: ScenarioResult = {
      ...scenario('a', 'inconclusive'),
      steps: [{ ...step, checks: [judged], exchanges: [], artifacts: [] }],
    }
    expect([statusOf([partly]), nothingJudged([partly])]).toEqual(['passed', undefined])
    const gated = { ...partly, steps: [{ ...partly.steps[0]!, checks: [{ ...judged, notApplicable: 'gated' }] }] }
    expect(statusOf([gated])).toBe('errored')
  })

  it('leaves a shard to its merged run, and an empty run to the selection rules', () => {
    expect(statusOf([scenario('a', 'skipped')], [], { shard: true })).toBe('passed')
    expect([statusOf([]), nothingJudged([])]).toEqual(['passed', undefined])
  })
})
