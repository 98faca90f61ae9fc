import { describe, expect, it } from 'vitest'
import type { CheckResult, Outcome, ScenarioResult } from '../../harness/model/result.ts'
import type { ExpectationOutcome } from '../../harness/model/report.ts'
import {
  countExpectations,
  displayOutcome,
  failingChecks,
  formatDuration,
  staleMessage,
  truncate,
} from '../../reporters/summary.ts'
import { countOutcomes, exitCodeForStatus, isUnexpectedProblem, statusOf } from '../../harness/verdicts/run-status.ts'
import { oneStepScenario, sampleReport, sampleScenarios, SAMPLE_COUNTS } from './sample-report.ts'

/** A scenario with the given outcome and one check on R-1 (failing when the outcome says so). */
function scenario(outcome: Outcome, check: Partial<CheckResult> = {}): ScenarioResult {
  const failing = outcome === 'failed' || outcome === 'warned'
  const level = outcome === 'warned' ? 'should' : 'must'
  const status = { name: 'status', level, ok: !failing, requirement: 'R-1', ...check } as const
  return oneStepScenario(`s/${outcome}`, [status], { outcome })
}

const excused = { excused: 'known bug (ticket 1)' }
const entry = (state: ExpectationOutcome['state']): ExpectationOutcome => ({
  requirement: 'R-1',
  scenario: 's/passed',
  check: 'status',
  reason: 'used to fail',
  state,
})

describe('countOutcomes', () => {
  it('counts every outcome and the total', () => {
    expect(countOutcomes(sampleScenarios())).toEqual(SAMPLE_COUNTS)
    // No scenario: every count the sample has, at zero.
    const zero = Object.fromEntries(Object.keys(SAMPLE_COUNTS).map((name) => [name, 0]))
    expect(countOutcomes([])).toEqual(zero)
  })
})

describe('statusOf', () => {
  it('passes with passes, warnings, skips, inconclusive scenarios and excused failures', () => {
    expect(statusOf([])).toBe('passed')
    expect(
      statusOf([
        scenario('passed'),
        scenario('warned'),
        scenario('skipped'),
        scenario('inconclusive'),
        scenario('failed', excused),
      ]),
    ).toBe('passed')
    expect(statusOf([scenario('passed')], [entry('met'), entry('unused')])).toBe('passed')
  })

  it('fails on an unexcused MUST failure or a stale expectation', () => {
    expect(statusOf([scenario('passed'), scenario('failed')])).toBe('failed')
    expect(statusOf([scenario('passed')], [entry('stale')])).toBe('failed')
    expect(isUnexpectedProblem(scenario('failed'))).toBe(true)
    expect(isUnexpectedProblem(scenario('failed', excused))).toBe(false)
    expect(isUnexpectedProblem(scenario('inconclusive'))).toBe(false)
  })

  it('errors when a scenario errored, even next to failures', () => {
    expect(statusOf([scenario('failed'), scenario('errored')])).toBe('errored')
    expect(statusOf([scenario('errored')], [entry('met')])).toBe('errored')
  })

  it('maps to exit codes', () => {
    expect(exitCodeForStatus('passed')).toBe(0)
    expect(exitCodeForStatus('failed')).toBe(1)
    expect(exitCodeForStatus('errored')).toBe(3)
  })
})

describe('known deviations', () => {
  it('labels excused failures xfail/xwarn and words stale entries', () => {
    expect(displayOutcome(scenario('failed'))).toBe('failed')
    expect(displayOutcome(scenario('failed', excused))).toBe('xfail')
    expect(displayOutcome(scenario('warned', excused))).toBe('xwarn')
    expect(displayOutcome(scenario('inconclusive'))).toBe('inconclusive')
    expect(staleMessage(entry('stale'))).toBe(
      'stale expectation: R-1 in s/passed (status) now holds (used to fail)',
    )
    expect(countExpectations(sampleReport())).toEqual({ met: 1, stale: 1 })
  })
})

describe('helpers', () => {
  it('lists failing checks with must first', () => {
    const failed = sampleScenarios().find((s) => s.id === 'registration/status-201')
    expect(failed && failingChecks(failed).map(({ check }) => check.level)).toEqual([
      'must',
      'should',
    ])
  })

  it('formats durations and truncates', () => {
    expect(formatDuration(12.4)).toBe('12 ms')
    expect(formatDuration(1250)).toBe('1.3 s')
    expect(formatDuration(125_000)).toBe('2 min 5 s')
    // Rounded once, never "1 min 60 s" or "60.0 s".
    expect(formatDuration(119_763)).toBe('2 min 0 s')
    expect(formatDuration(59_960)).toBe('1 min 0 s')
    expect(formatDuration(59_940)).toBe('59.9 s')
    expect(truncate('abcdef', 3)).toBe('abc… (3 more characters)')
    expect(truncate('abc', 3)).toBe('abc')
  })
})
