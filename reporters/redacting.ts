/**
 * Puts a redactor in front of reporters: every event is redacted before a reporter sees it
 * (docs/redaction.md), the suite's own names (ids, titles, requirements) excepted.
 * This is the one wrapper in front of every reporter: the runner wraps its reporters with it,
 * and `merge` does too (defence in depth).
 *
 * Each event object is redacted once per redactor, however many reporters receive it, and a
 * result the runner already redacted is not walked again (reporters/redact-result.ts).
 */
import type { Redactor } from '../harness/redact.ts'
import type { ScenarioResult } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter, RunInfo } from '../harness/model/reporter.ts'
import { redactReport, redactResult, redactRunInfo } from './redact-result.ts'

function wrap(reporter: Reporter, redactor: Redactor): Reporter {
  return {
    async onRunStart(info: RunInfo) {
      await reporter.onRunStart?.(redactRunInfo(info, redactor))
    },
    async onScenarioStart(scenario: { id: string; title: string }) {
      // Only the suite's id and title: nothing to redact, and never rewritten.
      await reporter.onScenarioStart?.(scenario)
    },
    async onScenarioEnd(result: ScenarioResult) {
      await reporter.onScenarioEnd?.(redactResult(result, redactor))
    },
    async onNotice(message: string) {
      await reporter.onNotice?.(redactor.redactText(message))
    },
    async onRunEnd(report: Report) {
      await reporter.onRunEnd(redactReport(report, redactor))
    },
  }
}

/** One reporter behind the redactor. */
export function redactingReporter(reporter: Reporter, redactor: Redactor): Reporter {
  return wrap(reporter, redactor)
}

/** Every reporter behind the same (run-scoped) redactor; each event is redacted once. */
export function redactingReporters(reporters: readonly Reporter[], redactor: Redactor): Reporter[] {
  return reporters.map((reporter) => wrap(reporter, redactor))
}
