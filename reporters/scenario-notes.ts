/**
 * Short texts about one scenario or check (notes in tables, failure messages, blockers), shared
 * by the Markdown, HTML and JUnit reporters so they word the same fact the same way.
 */
import type { Blocker, CheckResult, ScenarioResult } from '../harness/model/result.ts'
import { displayOutcome, failingChecks, formatValue, reasonOf } from './summary.ts'

/** One line on a failing check: `[REQ] name: message`, with the known deviation excusing it. */
export function checkSummary(check: CheckResult): string {
  const requirement = check.requirement ? `[${check.requirement}] ` : ''
  const message = check.message ? `: ${check.message}` : ''
  const excused = check.excused !== undefined ? ` (known deviation: ${check.excused})` : ''
  return `${requirement}${check.name}${message}${excused}`
}

/** Where an inconclusive scenario stopped: `step reg (register): status: expected 2xx, got 400`. */
export function blockerText(blocker: Blocker): string {
  const violates = blocker.violates ? `; the answer violates ${blocker.violates}` : ''
  return `step ${blocker.step} (${blocker.action}): ${blocker.answer}${violates}`
}

/** `expected: …` and `actual: …` lines for the values a check carries. */
export function expectedActual(check: CheckResult, max: number): string {
  const lines: string[] = []
  if (check.expected !== undefined) lines.push(`expected: ${formatValue(check.expected, max)}`)
  if (check.actual !== undefined) lines.push(`actual:   ${formatValue(check.actual, max)}`)
  return lines.join('\n')
}

/** The distinct reasons of the known deviations that excuse this scenario's failures. */
export function excuseReasons(scenario: ScenarioResult): string[] {
  const reasons = scenario.steps.flatMap((step) =>
    step.checks.flatMap((check) => (check.excused !== undefined ? [check.excused] : [])),
  )
  return [...new Set(reasons)]
}

/** Why an inconclusive scenario was not tested: its blocker, else the runner's message. */
export function inconclusiveNote(scenario: ScenarioResult): string {
  if (scenario.blocker) return `blocked at ${blockerText(scenario.blocker)}`
  return reasonOf(scenario) ?? 'a precondition did not hold'
}

/** The note shown next to a scenario in tables: why it is not a plain pass. */
export function scenarioNote(scenario: ScenarioResult): string {
  const label = displayOutcome(scenario)
  if (label === 'inconclusive') return inconclusiveNote(scenario)
  if (label === 'xfail' || label === 'xwarn') {
    return `known deviation: ${excuseReasons(scenario).join('; ')}`
  }
  if (label === 'failed' || label === 'warned') {
    const first = failingChecks(scenario).find(
      ({ check }) => check.level !== 'may' && check.excused === undefined,
    )
    if (first) return checkSummary(first.check)
  }
  return reasonOf(scenario) ?? ''
}

/** Scenarios that get a detailed section: failures (excused or not), errors and warnings. */
export function needsDetails(scenario: ScenarioResult): boolean {
  return (
    scenario.outcome === 'failed' || scenario.outcome === 'errored' || scenario.outcome === 'warned'
  )
}
