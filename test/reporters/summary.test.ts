import { describe, expect, it } from 'vitest'
import type { Outcome, ScenarioResult } from '../../harness/types.ts'
import {
  countOutcomes,
  displayOutcome,
  exitCodeForStatus,
  expectationState,
  failingChecks,
  formatDuration,
  statusOf,
  truncate,
} from '../../reporters/summary.ts'
import { sampleScenarios } from './sample-report.ts'

function scenario(outcome: Outcome, expected?: ScenarioResult['expected']): ScenarioResult {
  return {
    id: `s/${outcome}`,
    title: 't',
    file: 'f',
    requirements: [],
    tags: [],
    outcome,
    durationMs: 1,
    steps: [],
    ...(expected ? { expected } : {}),
  }
}

describe('countOutcomes', () => {
  it('counts every outcome and the total', () => {
    expect(countOutcomes(sampleScenarios())).toEqual({
      total: 7,
      passed: 2,
      failed: 2,
      warned: 1,
      skipped: 1,
      errored: 1,
    })
    expect(countOutcomes([])).toEqual({
      total: 0,
      passed: 0,
      failed: 0,
      warned: 0,
      skipped: 0,
      errored: 0,
    })
  })
})

describe('statusOf', () => {
  it('passes with passes, warnings, skips and expected failures', () => {
    expect(statusOf([])).toBe('passed')
    expect(
      statusOf([
        scenario('passed'),
        scenario('warned'),
        scenario('skipped'),
        scenario('failed', { outcome: 'failed', reason: 'known' }),
      ]),
    ).toBe('passed')
    expect(statusOf([scenario('errored', { outcome: 'errored', reason: 'known' })])).toBe('passed')
  })

  it('fails on an unexpected failure or a stale expectation', () => {
    expect(statusOf([scenario('passed'), scenario('failed')])).toBe('failed')
    expect(
      statusOf([scenario('passed', { outcome: 'failed', reason: 'fixed now', stale: true })]),
    ).toBe('failed')
    // Stale even when the runner did not mark it: the scenario does better than expected.
    expect(statusOf([scenario('passed', { outcome: 'failed', reason: 'fixed now' })])).toBe(
      'failed',
    )
    // Worse than expected is an unexpected failure.
    expect(statusOf([scenario('failed', { outcome: 'warned', reason: 'should only' })])).toBe(
      'failed',
    )
  })

  it('errors when a scenario errored without an expectation, even next to failures', () => {
    expect(statusOf([scenario('failed'), scenario('errored')])).toBe('errored')
    expect(statusOf([scenario('errored', { outcome: 'failed', reason: 'x' })])).toBe('errored')
  })

  it('maps to exit codes', () => {
    expect(exitCodeForStatus('passed')).toBe(0)
    expect(exitCodeForStatus('failed')).toBe(1)
    expect(exitCodeForStatus('errored')).toBe(3)
  })
})

describe('expectations', () => {
  it('classifies met, stale, missed and none', () => {
    expect(expectationState(scenario('failed'))).toBe('none')
    expect(expectationState(scenario('failed', { outcome: 'failed', reason: 'r' }))).toBe('met')
    expect(expectationState(scenario('warned', { outcome: 'failed', reason: 'r' }))).toBe('stale')
    expect(expectationState(scenario('errored', { outcome: 'failed', reason: 'r' }))).toBe('missed')
    expect(expectationState(scenario('skipped', { outcome: 'failed', reason: 'r' }))).toBe('none')
    expect(displayOutcome(scenario('failed', { outcome: 'failed', reason: 'r' }))).toBe('xfail')
    expect(
      displayOutcome(scenario('passed', { outcome: 'failed', reason: 'r', stale: true })),
    ).toBe('stale')
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
    expect(truncate('abcdef', 3)).toBe('abc… (3 more characters)')
    expect(truncate('abc', 3)).toBe('abc')
  })
})
