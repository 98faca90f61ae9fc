/**
 * Results as reporters may see them: every secret the run learned redacted, while what the
 * suite itself names (scenario ids, titles, files, requirement ids, step ids, check names and
 * levels) never enters the redactor's walk: it is copied as written, so a learned value can
 * neither rewrite an id (the scenario would drop out of a report) nor be learned from a title
 * ("401 Bearer challenge" would otherwise make `challenge` a secret). docs/redaction.md.
 *
 * Each result is walked once per redactor: a result already redacted (or redacted before) comes
 * back from a cache, so the runner, the reporters' wrapper and the final report share one copy.
 */
import type { Redactor } from '../harness/redact.ts'
import type { CheckResult, ScenarioResult, StepResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { RunInfo } from '../harness/model/reporter.ts'

/** Per redactor: input -> its redacted copy, and each copy -> itself. */
const copies = new WeakMap<Redactor, WeakMap<object, object>>()

function once<T extends object>(redactor: Redactor, value: T, redact: () => T): T {
  let cache = copies.get(redactor)
  if (!cache) {
    cache = new WeakMap()
    copies.set(redactor, cache)
  }
  const known = cache.get(value)
  if (known) return known as T
  const copy = redact()
  cache.set(value, copy)
  cache.set(copy, copy)
  return copy
}

/** What of a check came from the run (values, messages); its name and level are the suite's. */
function checkData({ name: _n, level: _l, requirement: _r, violates: _v, ...data }: CheckResult) {
  return data
}

/** What of a step came from the run; its id, title, action, line and driver are the suite's. */
function stepData(step: StepResult) {
  const { id: _i, title: _t, action: _a, line: _l, driver: _d, checks, ...data } = step
  return { ...data, checks: checks.map(checkData) }
}

/** What of a scenario result came from the run: the part the redactor walks. */
export function withoutSuiteText(result: ScenarioResult) {
  const { id: _i, title: _t, file: _f, requirements: _r, tags: _g, ...rest } = result
  const { steps, blocker, ...data } = rest
  const ownBlocker = blocker && (({ step: _s, action: _a, ...rest }) => rest)(blocker)
  return { ...data, ...(ownBlocker ? { blocker: ownBlocker } : {}), steps: steps.map(stepData) }
}

type Walked = ReturnType<typeof withoutSuiteText>

/** The suite's names back around the walked data, in the result's own member order. */
function withSuiteText(result: ScenarioResult, walked: Walked, redactor: Redactor): ScenarioResult {
  const { steps, blocker, ...data } = walked
  return {
    ...result,
    ...data,
    ...(result.blocker && blocker ? { blocker: { ...result.blocker, ...blocker } } : {}),
    steps: result.steps.map((step, index) => {
      const own = steps[index]!
      return {
        ...step,
        ...own,
        checks: step.checks.map((check, at) => ({
          ...check,
          ...own.checks[at],
          // Suite text: it teaches nothing, but may quote a value the target gave.
          name: redactor.redactKnown(check.name),
        })),
      }
    }),
  }
}

/** A scenario result redacted in one walk, the suite's names kept; cached per redactor. */
export function redactResult(result: ScenarioResult, redactor: Redactor): ScenarioResult {
  return once(redactor, result, () =>
    withSuiteText(result, redactor.redactValue(withoutSuiteText(result)), redactor),
  )
}

/** Run info: the planned scenario ids are the suite's, the rest is walked. */
export function redactRunInfo(info: RunInfo, redactor: Redactor): RunInfo {
  return once(redactor, info, () => {
    const { scenarios: _s, ...data } = info
    return { ...info, ...redactor.redactValue(data) }
  })
}

/**
 * A report for reporters: scenarios as `redactResult` (the cached copies), the requirement table
 * and the known deviations (text the suite and the vendor wrote) only for learned values,
 * everything else (root-cause answers, notices, leftovers, anything new) walked once.
 */
export function redactReport(report: Report, redactor: Redactor): Report {
  return once(redactor, report, () => {
    const { scenarios, requirements, rootCauses, expectations, ...data } = report
    const causes = rootCauses.map(({ cause, answer }) => ({ cause, answer }))
    const walked = redactor.redactValue({ ...data, rootCauses: causes })
    return {
      ...report,
      ...walked,
      scenarios: scenarios.map((scenario) => redactResult(scenario, redactor)),
      requirements: requirements.map((row) => ({
        ...row,
        checks: row.checks.map((check) => ({ ...check, check: redactor.redactKnown(check.check) })),
      })),
      rootCauses: rootCauses.map((cause, index) => ({ ...cause, ...walked.rootCauses[index] })),
      ...(expectations
        ? {
            expectations: expectations.map((entry) => ({
              ...entry,
              reason: redactor.redactKnown(entry.reason),
            })),
          }
        : {}),
    }
  })
}
