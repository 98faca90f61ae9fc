/**
 * Puts a redactor in front of reporters: every event is redacted before a reporter sees it
 * (DESIGN §8), the suite's own names (ids, titles, requirements) excepted. The runner wraps its reporters with this; `merge` does too (defence in depth).
 */
import type { Redactor } from '../harness/redact.ts'
import type { Report, Reporter, RunInfo, ScenarioResult } from '../harness/types.ts'
import { redactReport, redactResult } from '../harness/runner/redact-result.ts'

type Redact = <T extends object>(value: T) => T

/**
 * Redacts each event object once, however many reporters receive it; scenario results and the
 * report keep the suite's own names (harness/runner/redact-result.ts).
 */
function memoised(redactor: Redactor): Redact {
  const copies = new WeakMap<object, unknown>()
  return <T extends object>(value: T): T => {
    const known = copies.get(value)
    if (known !== undefined) return known as T
    const copy = redactor.redactValue(value)
    copies.set(value, copy)
    return copy
  }
}

function wrap(reporter: Reporter, redactor: Redactor, redact: Redact): Reporter {
  return {
    async onRunStart(info: RunInfo) {
      await reporter.onRunStart?.(redact(info))
    },
    async onScenarioStart(scenario: { id: string; title: string }) {
      await reporter.onScenarioStart?.(scenario)
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

/** The redactor with the suite's names kept, memoised per event object. */
function namesKept(redactor: Redactor): Redact {
  const plain = memoised(redactor)
  const named = new WeakMap<object, unknown>()
  return <T extends object>(value: T): T => {
    const known = named.get(value)
    if (known !== undefined) return known as T
    const copy = isReport(value)
      ? redactReport(value, redactor)
      : isScenarioResult(value)
        ? redactResult(value, redactor)
        : plain(value)
    named.set(value, copy)
    return copy as T
  }
}

const isReport = (value: object): value is Report => 'scenarios' in value && 'requirements' in value
const isScenarioResult = (value: object): value is ScenarioResult =>
  'steps' in value && 'outcome' in value && 'id' in value

/** One reporter behind the redactor. */
export function redactingReporter(reporter: Reporter, redactor: Redactor): Reporter {
  return wrap(reporter, redactor, namesKept(redactor))
}

/** Every reporter behind the same (run-scoped) redactor; each event is redacted once. */
export function redactingReporters(reporters: readonly Reporter[], redactor: Redactor): Reporter[] {
  const redact = namesKept(redactor)
  return reporters.map((reporter) => wrap(reporter, redactor, redact))
}
