/**
 * Counting and verdict rules shared by the runner, the merge command and every reporter, so the
 * JSON `counts`/`status`, the console summary and the exit code always agree.
 */
import type {
  CheckResult,
  ExpectationOutcome,
  Outcome,
  Report,
  ReportCounts,
  ScenarioResult,
  StepResult,
} from '../harness/types.ts'

/**
 * A failed or errored scenario that the expectations file does not excuse: errored, or failed
 * with a failed `must` check on a requirement that no known deviation covers. Inconclusive
 * scenarios are not problems of their own (their root cause is reported).
 */
export function isUnexpectedProblem(scenario: ScenarioResult): boolean {
  if (scenario.outcome === 'errored') return true
  if (scenario.outcome !== 'failed') return false
  return unexcusedFailures(scenario, 'must').length > 0
}

/** Failed checks on requirements at `level` that no known deviation excuses. */
export function unexcusedFailures(scenario: ScenarioResult, level: 'must' | 'should'): CheckResult[] {
  return scenario.steps.flatMap((step) =>
    step.checks.filter(
      (check) =>
        !check.ok &&
        check.level === level &&
        check.requirement !== undefined &&
        check.excused === undefined,
    ),
  )
}

/** Counts by outcome (excused failures still count as failed: the counts describe the target). */
export function countOutcomes(scenarios: readonly ScenarioResult[]): ReportCounts {
  const counts: ReportCounts = {
    total: 0,
    passed: 0,
    failed: 0,
    warned: 0,
    inconclusive: 0,
    skipped: 0,
    errored: 0,
  }
  for (const scenario of scenarios) {
    counts.total += 1
    counts[scenario.outcome] += 1
  }
  return counts
}

/**
 * The run's verdict: `errored` if a scenario errored, else `failed` if a scenario failed with an
 * unexcused MUST failure or a known deviation is stale, else `passed`. Inconclusive scenarios
 * alone do not fail the run.
 */
export function statusOf(
  scenarios: readonly ScenarioResult[],
  expectations: readonly ExpectationOutcome[] = [],
): Report['status'] {
  const problems = scenarios.filter(isUnexpectedProblem)
  if (problems.some((scenario) => scenario.outcome === 'errored')) return 'errored'
  if (problems.length > 0) return 'failed'
  if (expectations.some((entry) => entry.state === 'stale')) return 'failed'
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

/** Summary counts of the known deviations (for summaries; not part of the JSON counts). */
export function countExpectations(report: Pick<Report, 'expectations'>): {
  met: number
  stale: number
} {
  const entries = report.expectations ?? []
  return {
    met: entries.filter((entry) => entry.state === 'met').length,
    stale: entries.filter((entry) => entry.state === 'stale').length,
  }
}

/** Headers of the HTML and Markdown summary table, in `summaryNumbers` order. */
export const SUMMARY_COLUMNS: readonly string[] = [
  'Total',
  'Passed',
  'Failed',
  'Warned',
  'Inconclusive',
  'Skipped',
  'Errored',
  'Known deviations',
  'Stale',
]

/** The summary table's numbers: the outcome counts, then the met and stale known deviations. */
export function summaryNumbers(report: Report): number[] {
  const { counts } = report
  const expectations = countExpectations(report)
  return [
    counts.total,
    counts.passed,
    counts.failed,
    counts.warned,
    counts.inconclusive,
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

/** The reason shown next to a scenario: skip/error/inconclusive message. */
export function reasonOf(scenario: ScenarioResult): string | undefined {
  if (scenario.message) return scenario.message
  if (scenario.outcome === 'errored') return erroredStep(scenario)?.message
  if (scenario.outcome === 'skipped') return scenario.steps.find((step) => step.message)?.message
  return undefined
}

/** Human duration: `12 ms`, `1.3 s`, `2 min 5 s` (rounded once, so never `1 min 60 s`). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '0 ms'
  if (ms < 1000) return `${Math.round(ms)} ms`
  const tenths = Math.round(ms / 100)
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`
  const seconds = Math.round(ms / 1000)
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`
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

/**
 * A scenario's label in lists: its outcome, or `xfail`/`xwarn` when every failure of that level
 * is a known deviation of the target.
 */
export function displayOutcome(scenario: ScenarioResult): Outcome | 'xfail' | 'xwarn' {
  if (scenario.outcome === 'failed' && unexcusedFailures(scenario, 'must').length === 0)
    return 'xfail'
  if (scenario.outcome === 'warned' && unexcusedFailures(scenario, 'should').length === 0)
    return 'xwarn'
  return scenario.outcome
}

/** One sentence on a stale known deviation. */
export function staleMessage(entry: ExpectationOutcome): string {
  const where = entry.scenario ? ` in ${entry.scenario}${entry.check ? ` (${entry.check})` : ''}` : ''
  return `stale expectation: ${entry.requirement}${where} now holds (${entry.reason})`
}

/** Sum of outcomes for one line: `3 passed, 1 failed, 2 warned, 0 inconclusive, ...`. */
export function countsLine(counts: ReportCounts): string {
  const { passed, failed, warned, inconclusive, skipped, errored } = counts
  const rest = `${warned} warned, ${inconclusive} inconclusive, ${skipped} skipped, ${errored} errored`
  return `${passed} passed, ${failed} failed, ${rest}`
}
