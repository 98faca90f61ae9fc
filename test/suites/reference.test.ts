import { describe, expect, it } from 'vitest'
import { runSuite } from '../../harness/run-suite.ts'
import type { ScenarioResult } from '../../harness/types.ts'

/** A line naming what went wrong in a scenario: its outcome, message and failed checks. */
function describeProblem(scenario: ScenarioResult): string {
  const failed = scenario.steps.flatMap((step) =>
    step.checks.filter((check) => !check.ok).map((check) => `${step.id}: ${check.name}: ${check.message ?? ''}`),
  )
  const errored = scenario.steps.filter((step) => step.outcome === 'errored').map((step) => `${step.id}: ${step.message ?? ''}`)
  return [`${scenario.id} ${scenario.outcome}${scenario.message ? ` (${scenario.message})` : ''}`, ...errored, ...failed].join('\n  ')
}

describe('the whole suite against the clean reference server', () => {
  it('passes every applicable scenario and skips the others with a reason', { timeout: 300_000 }, async () => {
    const report = await runSuite({ target: 'reference', loginDriver: 'http', workers: 4 })
    const problems = report.scenarios.filter(
      (scenario) => !(scenario.outcome === 'passed' || (scenario.outcome === 'skipped' && Boolean(scenario.message))),
    )
    expect(problems.map(describeProblem)).toEqual([])
    expect(report.status).toBe('passed')
    expect(report.counts.passed).toBeGreaterThan(100)
    // Applicability is decided by capabilities: a skip always names the missing capability.
    for (const scenario of report.scenarios.filter((s) => s.outcome === 'skipped')) {
      expect(scenario.message, scenario.id).toMatch(/capabilit/)
    }
  })
})
