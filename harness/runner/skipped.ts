/** The result of a scenario that did not run: not applicable, bailed, interrupted, unfinished. */
import type { LoadedScenario } from '../scenario/load.ts'
import type { ScenarioResult } from '../model/result.ts'

export function skipped(scenario: LoadedScenario, reason: string): ScenarioResult {
  return {
    id: scenario.doc.id,
    title: scenario.doc.title,
    file: scenario.relativeFile,
    requirements: scenario.doc.requirements,
    tags: scenario.doc.tags ?? [],
    outcome: 'skipped',
    durationMs: 0,
    message: reason,
    steps: [],
  }
}
