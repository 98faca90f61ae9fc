/**
 * Counting and verdict rules shared by the runner, the merge command and every reporter, so the
 * JSON `counts`/`status`, the console summary and the exit code always agree.
 */
import type {
  CheckResult,
  Outcome,
  Report,
  ReportCounts,
  ScenarioResult,
  StepResult,
} from '../harness/types.ts'

/** Severity order of outcomes, best first (skipped is outside it). */
const rank: Record<Outcome, number> = { passed: 0, warned: 1, failed: 2, errored: 3, skipped: -1 }

/**
 * How a scenario relates to its expectation (from the target's expectations file):
 * - `none`: no expectation;
 * - `met`: the outcome is the expected one (an expected failure is `xfail`);
 * - `stale`: the scenario now does better than expected (or the runner marked it stale);
 * - `missed`: the scenario does worse than expected (e.g. expected to warn, but failed).
 */
export type ExpectationState = 'none' | 'met' | 'stale' | 'missed'

export function expectationState(scenario: ScenarioResult): ExpectationState {
  const expected = scenario.expected
  if (!expected) return 'none'
  if (expected.stale) return 'stale'
  if (expected.outcome === scenario.outcome) return 'met'
  if (scenario.outcome === 'skipped' || expected.outcome === 'skipped') return 'none'
  return rank[scenario.outcome] < rank[expected.outcome] ? 'stale' : 'missed'
}

/** A failed or errored scenario that its expectation does not excuse. */
export function isUnexpectedProblem(scenario: ScenarioResult): boolean {
  if (scenario.outcome !== 'failed' && scenario.outcome !== 'errored') return false
  return expectationState(scenario) !== 'met'
}

/** Counts by outcome (expected failures still count as failed: the counts describe the target). */
export function countOutcomes(scenarios: readonly ScenarioResult[]): ReportCounts {
  const counts: ReportCounts = { total: 0, passed: 0, failed: 0, warned: 0, skipped: 0, errored: 0 }
  for (const scenario of scenarios) {
    counts.total += 1
    counts[scenario.outcome] += 1
  }
  return counts
}

/**
 * The run's verdict: `errored` if a scenario errored without an expectation saying so, else
 * `failed` if a scenario failed unexpectedly or an expectation is stale, else `passed`.
 */
export function statusOf(scenarios: readonly ScenarioResult[]): Report['status'] {
  const problems = scenarios.filter(isUnexpectedProblem)
  if (problems.some((scenario) => scenario.outcome === 'errored')) return 'errored'
  if (problems.length > 0) return 'failed'
  if (scenarios.some((scenario) => expectationState(scenario) === 'stale')) return 'failed'
  return 'passed'
}

/**
 * Exit code for a finished run (DESIGN §2): 0 conformant, 1 non-conformant, 3 when scenarios
 * errored (the harness could not finish them: a runtime problem, not a verdict).
 */
export function exitCodeForStatus(status: Report['status']): 0 | 1 | 3 {
  if (status === 'passed') return 0
  if (status === 'failed') return 1
  return 3
}

/** Summary counts of the expectation states (for summaries; not part of the JSON counts). */
export function countExpectations(scenarios: readonly ScenarioResult[]): {
  met: number
  stale: number
  missed: number
} {
  const counts = { met: 0, stale: 0, missed: 0 }
  for (const scenario of scenarios) {
    const state = expectationState(scenario)
    if (state !== 'none') counts[state] += 1
  }
  return counts
}

/** Headers of the HTML and Markdown summary table, in `summaryNumbers` order. */
export const SUMMARY_COLUMNS: readonly string[] = [
  'Total',
  'Passed',
  'Failed',
  'Warned',
  'Skipped',
  'Errored',
  'Expected',
  'Stale',
]

/** The summary table's numbers: the outcome counts, then the met and stale expectations. */
export function summaryNumbers(report: Report): number[] {
  const { counts } = report
  const expectations = countExpectations(report.scenarios)
  return [
    counts.total,
    counts.passed,
    counts.failed,
    counts.warned,
    counts.skipped,
    counts.errored,
    expectations.met,
    expectations.stale,
  ]
}

/** A failing check with the step it belongs to. */
export interface FailingCheck {
  step: StepResult
  check: CheckResult
}

/** Checks that did not hold, `must` first, in step order. */
export function failingChecks(scenario: ScenarioResult): FailingCheck[] {
  const found: FailingCheck[] = []
  for (const step of scenario.steps) {
    for (const check of step.checks) if (!check.ok) found.push({ step, check })
  }
  const order = { must: 0, should: 1, may: 2 }
  return found.sort((a, b) => order[a.check.level] - order[b.check.level])
}

/** The step that errored (or the last step when the scenario errored outside a step). */
export function erroredStep(scenario: ScenarioResult): StepResult | undefined {
  return scenario.steps.find((step) => step.outcome === 'errored')
}

/** The reason shown next to a scenario: skip/error message, or the expectation's reason. */
export function reasonOf(scenario: ScenarioResult): string | undefined {
  if (scenario.message) return scenario.message
  if (scenario.outcome === 'errored') return erroredStep(scenario)?.message
  if (scenario.outcome === 'skipped') return scenario.steps.find((step) => step.message)?.message
  return undefined
}

/** Human duration: `12 ms`, `1.3 s`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms'
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`
}

/** Pretty JSON of a check value, cut to `max` characters. */
export function formatValue(value: unknown, max = 2000): string {
  let text: string
  if (value === undefined) text = 'undefined'
  else if (typeof value === 'string') text = JSON.stringify(value)
  else {
    try {
      text = JSON.stringify(value, null, 2) ?? String(value)
    } catch {
      text = String(value)
    }
  }
  return truncate(text, max)
}

/** Cut `text` to `max` characters, saying how much was left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  return `${text.slice(0, max)}… (${text.length - max} more characters)`
}

/** A scenario's label in lists: its outcome, or `xfail`/`stale`/... when an expectation applies. */
export function displayOutcome(
  scenario: ScenarioResult,
): Outcome | 'xfail' | 'xerror' | 'xwarn' | 'stale' {
  const state = expectationState(scenario)
  if (state === 'stale') return 'stale'
  if (state === 'met') {
    if (scenario.outcome === 'failed') return 'xfail'
    if (scenario.outcome === 'errored') return 'xerror'
    if (scenario.outcome === 'warned') return 'xwarn'
  }
  return scenario.outcome
}

/** One sentence on a stale expectation. */
export function staleMessage(scenario: ScenarioResult): string {
  const expected = scenario.expected
  if (!expected) return ''
  const { outcome, reason } = expected
  return `stale expectation: expected ${outcome} (${reason}) but ${scenario.outcome}`
}

/** Sum of outcomes for one line: `3 passed, 1 failed, 2 warned, 0 skipped, 0 errored`. */
export function countsLine(counts: ReportCounts): string {
  const { passed, failed, warned, skipped, errored } = counts
  const rest = `${warned} warned, ${skipped} skipped, ${errored} errored`
  return `${passed} passed, ${failed} failed, ${rest}`
}

/** One line on a failing check: `[REQ] name: message`. */
export function checkSummary(check: CheckResult): string {
  const requirement = check.requirement ? `[${check.requirement}] ` : ''
  return `${requirement}${check.name}${check.message ? `: ${check.message}` : ''}`
}

/** The note shown next to a scenario in tables: why it is not a plain pass. */
export function scenarioNote(scenario: ScenarioResult): string {
  const state = expectationState(scenario)
  if (state === 'stale') return staleMessage(scenario)
  if (state === 'met') return `expected: ${scenario.expected?.reason ?? ''}`
  if (scenario.outcome === 'failed' || scenario.outcome === 'warned') {
    const first = failingChecks(scenario).find(({ check }) => check.level !== 'may')
    if (first) return checkSummary(first.check)
  }
  return reasonOf(scenario) ?? ''
}

/** `expected: …` and `actual: …` lines for the values a check carries. */
export function expectedActual(check: CheckResult, max: number): string {
  const lines: string[] = []
  if (check.expected !== undefined) lines.push(`expected: ${formatValue(check.expected, max)}`)
  if (check.actual !== undefined) lines.push(`actual:   ${formatValue(check.actual, max)}`)
  return lines.join('\n')
}

/** Scenarios that get a detailed section: failures, errors, warnings and stale expectations. */
export function needsDetails(scenario: ScenarioResult): boolean {
  return (
    scenario.outcome === 'failed' ||
    scenario.outcome === 'errored' ||
    scenario.outcome === 'warned' ||
    expectationState(scenario) === 'stale'
  )
}
