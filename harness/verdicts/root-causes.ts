/**
 * Inconclusive scenarios grouped by root cause: the same action with the same unexpected answer,
 * so one server bug reads as one line ("register answered 200: blocks 68 scenarios").
 */
import type { ScenarioResult } from '../model/result.ts'
import type { RootCause } from '../model/report.ts'

export function rootCauses(scenarios: readonly ScenarioResult[]): RootCause[] {
  const groups = new Map<string, RootCause>()
  for (const scenario of scenarios) {
    const blocker = scenario.blocker
    if (scenario.outcome !== 'inconclusive' || !blocker) continue
    const group = groups.get(blocker.cause) ?? {
      cause: blocker.cause,
      action: blocker.action,
      answer: blocker.answer,
      ...(blocker.violates ? { violates: blocker.violates } : {}),
      scenarios: [],
    }
    group.scenarios.push(scenario.id)
    groups.set(blocker.cause, group)
  }
  return [...groups.values()].sort(
    (a, b) => b.scenarios.length - a.scenarios.length || a.cause.localeCompare(b.cause),
  )
}

/** One line for a root cause: `register: status: expected 2xx, got 400 (blocks 3 scenarios)`. */
export function rootCauseLine(cause: RootCause): string {
  const count = cause.scenarios.length
  const violates = cause.violates ? `; the answer violates ${cause.violates}` : ''
  return `${cause.cause}: blocks ${count} scenario${count === 1 ? '' : 's'}${violates}`
}
