/**
 * The gate every interop run must pass (docs/verdicts.md): no failure the target's expectations
 * file does not excuse, no inconclusive scenario (a set-up step the harness got wrong, or a
 * server behaviour nobody has looked at) but those the test names as blocked by a documented
 * deviation (one server bug, judged once where it is the subject), and no stale known deviation.
 */
import { expect } from 'vitest'
import type { ScenarioResult } from '../../../harness/model/result.ts'
import type { Report } from '../../../harness/model/report.ts'
import { isUnexpectedProblem } from '../../../harness/verdicts/run-status.ts'

/** One line per scenario: outcome, message, and its first failing checks. */
export function describeScenario(scenario: ScenarioResult): string {
  const failed = scenario.steps
    .flatMap((step) => [
      ...(step.message ? [`${step.id}: ${step.message}`] : []),
      ...step.checks
        .filter((check) => !check.ok && check.excused === undefined)
        .map((check) => `${step.id}: ${check.name} [${check.requirement ?? 'precondition'}] ${check.message ?? ''}`),
    ])
    .slice(0, 3)
  const why = scenario.message ? ` (${scenario.message})` : ''
  return `${scenario.id} ${scenario.outcome}${why} ${failed.join(' | ')}`
}

/**
 * Scenarios a server behaviour leaves inconclusive where the blocking precondition names no
 * `violates`, so the gate cannot admit them by a documented deviation: scenario id -> the step
 * that blocks it and what its answer says, so that another set-up failure does not pass unseen.
 */
export type Unattributed = Readonly<Record<string, { step: string; answer: RegExp }>>

/**
 * Asserts the gate; `file` names the expectations file in the messages. `blocked` lists the
 * scenarios a documented deviation leaves inconclusive, each with the requirement its blocker
 * violates: admitted only when that requirement's deviation was met in this run. Each
 * `unattributed` scenario must be inconclusive, blocked where its entry says (an entry that
 * resolves must go), and is otherwise left out of the gate.
 */
export function expectOnlyKnownDeviations(
  report: Report,
  file: string,
  blocked: Readonly<Record<string, string>> = {},
  unattributed: Unattributed = {},
): void {
  for (const [id, blocker] of Object.entries(unattributed)) {
    const scenario = report.scenarios.find((s) => s.id === id)
    const shown = scenario ? describeScenario(scenario) : id
    expect(scenario?.outcome, shown).toBe('inconclusive')
    expect(scenario?.blocker?.step, shown).toBe(blocker.step)
    expect(scenario?.blocker?.answer, shown).toMatch(blocker.answer)
  }
  const gated = report.scenarios.filter((s) => !(s.id in unattributed))
  const unexpected = gated.filter(isUnexpectedProblem).map(describeScenario)
  const documented = new Set(
    (report.expectations ?? []).filter((e) => e.state === 'met').map((e) => e.requirement),
  )
  const admitted = (scenario: ScenarioResult) => {
    const violates = scenario.blocker?.violates
    return violates !== undefined && blocked[scenario.id] === violates && documented.has(violates)
  }
  const inconclusive = gated
    .filter((scenario) => scenario.outcome === 'inconclusive' && !admitted(scenario))
    .map(describeScenario)
  const stale = (report.expectations ?? [])
    .filter((entry) => entry.state === 'stale')
    .map((entry) => `${entry.requirement} ${entry.scenario ?? ''}: ${entry.reason}`)
  expect(unexpected, `failures that ${file} does not document`).toEqual([])
  expect(inconclusive, 'inconclusive scenarios (a set-up step did not hold)').toEqual([])
  expect(stale, `deviations in ${file} that no longer happen`).toEqual([])
}

/** Every entry of the expectations file was met in the run and gives its evidence. */
export function expectEveryDeviationMet(report: Report | undefined): void {
  expect(report, 'the full run must have happened').toBeDefined()
  const entries = report!.expectations ?? []
  expect(entries.length).toBeGreaterThan(0)
  for (const entry of entries) {
    const label = `${entry.requirement} ${entry.scenario ?? ''}`
    expect(entry.reason.length, label).toBeGreaterThan(20)
    expect(entry.state, label).toBe('met')
  }
}
