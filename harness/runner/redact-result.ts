/**
 * Results as reporters may see them: every secret the run learned redacted, while what the
 * suite itself names (scenario ids, titles, files, requirement ids, step ids) is kept exactly as
 * written. A learned value that happens to occur in an id must never rewrite it: the scenario
 * would drop out of the report, or two would merge.
 */
import type { Redactor } from '../redact.ts'
import type { Report, ScenarioResult } from '../types.ts'

/** `redacted` with the suite's own names taken back from `original` (same shape). */
export function keepSuiteNames(original: ScenarioResult, redacted: ScenarioResult): ScenarioResult {
  return {
    ...redacted,
    id: original.id,
    title: original.title,
    file: original.file,
    requirements: original.requirements,
    tags: original.tags,
    ...(original.blocker && redacted.blocker
      ? { blocker: { ...redacted.blocker, step: original.blocker.step, action: original.blocker.action } }
      : {}),
    steps: redacted.steps.map((step, index) => {
      const own = original.steps[index]
      if (!own) return step
      return {
        ...step,
        id: own.id,
        ...(own.title !== undefined ? { title: own.title } : {}),
        checks: step.checks.map((check, at) => {
          const mine = own.checks[at]
          if (!mine) return check
          const { requirement, violates } = mine
          return {
            ...check,
            level: mine.level,
            ...(requirement !== undefined ? { requirement } : {}),
            ...(violates !== undefined ? { violates } : {}),
          }
        }),
      }
    }),
  }
}

/** The same for a whole report: scenarios, the requirement table and the known deviations. */
function keepReportNames(original: Report, redacted: Report): Report {
  return {
    ...redacted,
    scenarios: redacted.scenarios.map((scenario, index) =>
      original.scenarios[index] ? keepSuiteNames(original.scenarios[index], scenario) : scenario,
    ),
    requirements: original.requirements.map((row, index) => ({
      ...redacted.requirements[index]!,
      id: row.id,
      ...(row.title !== undefined ? { title: row.title } : {}),
      scenarios: row.scenarios,
    })),
    rootCauses: redacted.rootCauses.map((cause, index) => ({
      ...cause,
      scenarios: original.rootCauses[index]?.scenarios ?? cause.scenarios,
    })),
    ...(original.expectations && redacted.expectations
      ? {
          expectations: redacted.expectations.map((entry, index) => {
            const own = original.expectations![index]!
            return {
              ...entry,
              requirement: own.requirement,
              ...(own.scenario !== undefined ? { scenario: own.scenario } : {}),
            }
          }),
        }
      : {}),
  }
}

/**
 * The result without the text the suite wrote (titles, ids, check names), so that redaction
 * never learns a "secret" from it: a title such as "401 Bearer challenge" would otherwise teach
 * the redactor the word `challenge` and blank it everywhere.
 */
export function withoutSuiteText(result: ScenarioResult): ScenarioResult {
  return {
    ...result,
    id: '',
    title: '',
    file: '',
    tags: [],
    steps: result.steps.map((step) => {
      const { title: _title, ...rest } = step
      return { ...rest, id: '', checks: step.checks.map((check) => ({ ...check, name: '' })) }
    }),
  }
}

/** Check names back, with only already-learned secrets replaced in them. */
function withCheckNames(
  original: ScenarioResult,
  redacted: ScenarioResult,
  redactor: Redactor,
): ScenarioResult {
  return {
    ...redacted,
    steps: redacted.steps.map((step, index) => ({
      ...step,
      checks: step.checks.map((check, at) => ({
        ...check,
        name: redactor.redactKnown(original.steps[index]?.checks[at]?.name ?? check.name),
      })),
    })),
  }
}

/** Redacts a scenario result (exchanges first, then every value) and keeps the suite's names. */
export function redactResult(result: ScenarioResult, redactor: Redactor): ScenarioResult {
  const steps = result.steps.map((step) => ({
    ...step,
    exchanges: step.exchanges.map((exchange) => redactor.redactExchange(exchange)),
  }))
  const redacted = redactor.redactValue(withoutSuiteText({ ...result, steps }))
  return withCheckNames(result, keepSuiteNames(result, redacted), redactor)
}

/**
 * Redacts a report for reporters: scenarios as `redactResult` does, the requirement table and
 * the known deviations (text the suite and the vendor wrote) only for already-learned secrets,
 * everything else (root-cause answers, notices, leftovers) fully.
 */
export function redactReport(report: Report, redactor: Redactor): Report {
  const scenarios = report.scenarios.map((scenario) => redactResult(scenario, redactor))
  const requirements = report.requirements.map((row) => ({
    ...row,
    checks: row.checks.map((check) => ({ ...check, check: redactor.redactKnown(check.check) })),
  }))
  const expectations = report.expectations?.map((entry) => ({
    ...entry,
    reason: redactor.redactKnown(entry.reason),
  }))
  const rest = redactor.redactValue({ ...report, scenarios: [], requirements: [], expectations: [] })
  return keepReportNames(report, {
    ...rest,
    scenarios,
    requirements,
    ...(expectations ? { expectations } : {}),
  })
}
