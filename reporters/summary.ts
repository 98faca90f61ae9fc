/**
 * Display helpers shared by the reporters: summary columns, failing checks, durations, values.
 * The counting, verdict and exit-code rules are in harness/verdicts/run-status.ts.
 */
import type { CheckResult, Outcome, ScenarioResult, StepResult } from '../harness/model/result.ts'
import type { ExpectationOutcome, Report, ReportCounts } from '../harness/model/report.ts'
import { unexcusedFailures } from '../harness/verdicts/run-status.ts'

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
