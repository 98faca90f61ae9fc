/** What counts as a fault proving a scenario (see fault-proof.test.ts). */
import { scenarioRequirements } from '../../harness/coverage.ts'
import type { LoadedScenario } from '../../harness/scenario/load.ts'
import type { ScenarioResult } from '../../harness/types.ts'

/** Why a result does not prove the scenario (undefined when it does). */
export function proofProblem(
  scenario: LoadedScenario,
  result: ScenarioResult | undefined,
): string | undefined {
  if (!result) return 'no result'
  if (result.outcome !== 'failed' && result.outcome !== 'warned') {
    const detail =
      result.message ?? result.steps.find((step) => step.outcome === 'errored')?.message
    return `outcome ${result.outcome}${detail ? ` (${detail})` : ''}, expected failed`
  }
  const requirements = new Set(scenarioRequirements(scenario))
  const level = result.outcome === 'failed' ? 'must' : 'should'
  const named = result.steps.some((step) =>
    step.checks.some(
      (check) =>
        !check.ok &&
        check.level === level &&
        check.requirement !== undefined &&
        requirements.has(check.requirement),
    ),
  )
  return named
    ? undefined
    : `outcome ${result.outcome} but no failed ${level} check names one of ${[...requirements].join(', ')}`
}
