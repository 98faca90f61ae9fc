/**
 * Puts a redactor in front of reporters: every event is redacted before a reporter sees it
 * (DESIGN §8). The runner wraps its reporters with this; `merge` does too (defence in depth).
 */
import type { Redactor } from '../harness/redact.ts'
import type { Report, Reporter, RunInfo, ScenarioResult } from '../harness/types.ts'

/** Redacts each event object once, however many reporters receive it. */
function memoised(redactor: Redactor): <T extends object>(value: T) => T {
  const copies = new WeakMap<object, unknown>()
  return <T extends object>(value: T): T => {
    const known = copies.get(value)
    if (known !== undefined) return known as T
    const copy = redactor.redactValue(value)
    copies.set(value, copy)
    return copy
  }
}

function wrap(
  reporter: Reporter,
  redactor: Redactor,
  redact: <T extends object>(value: T) => T,
): Reporter {
  return {
    async onRunStart(info: RunInfo) {
      await reporter.onRunStart?.(redact(info))
    },
    async onScenarioStart(scenario: { id: string; title: string }) {
      await reporter.onScenarioStart?.(redact(scenario))
    },
    async onScenarioEnd(result: ScenarioResult) {
      await reporter.onScenarioEnd?.(redact(result))
    },
    async onNotice(message: string) {
      await reporter.onNotice?.(redactor.redactText(message))
    },
    async onRunEnd(report: Report) {
      await reporter.onRunEnd(redact(report))
    },
  }
}

/** One reporter behind the redactor. */
export function redactingReporter(reporter: Reporter, redactor: Redactor): Reporter {
  return wrap(reporter, redactor, memoised(redactor))
}

/** Every reporter behind the same (run-scoped) redactor; each event is redacted once. */
export function redactingReporters(reporters: readonly Reporter[], redactor: Redactor): Reporter[] {
  const redact = memoised(redactor)
  return reporters.map((reporter) => wrap(reporter, redactor, redact))
}
