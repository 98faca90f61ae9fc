/**
 * The run's verdict and exit-code rules, shared by the runner, the merge command and every
 * reporter, so the JSON `counts`/`status`, the console summary and the exit code always agree
 * (docs/verdicts.md). It sits below both the runner and the reporters.
 */
import type { CheckResult, ScenarioResult } from '../model/result.ts'
import type { ExpectationOutcome, Report, ReportCounts } from '../model/report.ts'

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
 * Why a run judged nothing, or undefined when it judged something: every scenario was skipped
 * (not applicable to the target) or inconclusive (a set-up step failed), so no requirement was
 * tested. Such a run never passes: a false green in CI (docs/verdicts.md). A shard is exempt:
 * its merged run is judged as a whole (`merge`).
 */
export function nothingJudged(scenarios: readonly ScenarioResult[]): string | undefined {
  if (scenarios.length === 0 || scenarios.some(judgedSomething)) return undefined
  const counts = countOutcomes(scenarios)
  const parts = [
    ...(counts.skipped ? [`${counts.skipped} skipped`] : []),
    ...(counts.inconclusive ? [`${counts.inconclusive} inconclusive`] : []),
  ]
  const of = `of ${counts.total} scenario${counts.total === 1 ? '' : 's'}, ${parts.join(' and ')}`
  return `nothing was judged: ${of} (see their reasons)`
}

/**
 * The reason of an `errored` status that the judged-nothing rule alone explains (no scenario
 * errored), for the report of a run or of merged shards; undefined otherwise.
 */
export function nothingJudgedReason(
  scenarios: readonly ScenarioResult[],
  status: Report['status'],
): string | undefined {
  if (status !== 'errored' || scenarios.some((s) => s.outcome === 'errored')) return undefined
  return nothingJudged(scenarios)
}

/**
 * Whether a scenario reached a verdict (passed, warned, failed, errored), or, skipped or
 * inconclusive, still judged a requirement on the way (a check on one that applied).
 */
function judgedSomething(scenario: ScenarioResult): boolean {
  if (scenario.outcome !== 'skipped' && scenario.outcome !== 'inconclusive') return true
  return scenario.steps.some((step) =>
    step.checks.some((check) => check.requirement !== undefined && !check.notApplicable),
  )
}

/**
 * The run's verdict: `errored` if a scenario errored or the run judged nothing (nothingJudged,
 * unless `shard`), else `failed` if a scenario failed with an unexcused MUST failure or a known
 * deviation is stale, else `passed`. Inconclusive scenarios beside judged ones do not fail it.
 */
export function statusOf(
  scenarios: readonly ScenarioResult[],
  expectations: readonly ExpectationOutcome[] = [],
  options: { shard?: boolean } = {},
): Report['status'] {
  const problems = scenarios.filter(isUnexpectedProblem)
  if (problems.some((scenario) => scenario.outcome === 'errored')) return 'errored'
  if (problems.length > 0) return 'failed'
  if (expectations.some((entry) => entry.state === 'stale')) return 'failed'
  if (!options.shard && nothingJudged(scenarios)) return 'errored'
  return 'passed'
}

/**
 * Exit code for a finished run (docs/verdicts.md, "Run status and exit code"): 0 conformant,
 * 1 non-conformant, 3 when scenarios errored (the harness could not finish them: a runtime
 * problem, not a verdict).
 */
export function exitCodeForStatus(status: Report['status']): 0 | 1 | 3 {
  if (status === 'passed') return 0
  if (status === 'failed') return 1
  return 3
}
