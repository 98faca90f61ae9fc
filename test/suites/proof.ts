/**
 * What counts as a fault proving a scenario (see fault-proof.test.ts and docs/verdicts.md): a
 * check citing one of the fault's own requirements fails (or warns, for a SHOULD rule). A failed
 * precondition, or a failure on some other requirement, proves nothing.
 */
import type { CheckResult, ScenarioResult } from '../../harness/model/result.ts'

/** The failed checks that cite one of `requirements` (preconditions never do). */
export function provingChecks(
  result: ScenarioResult,
  requirements: ReadonlySet<string>,
): CheckResult[] {
  return result.steps.flatMap((step) =>
    step.checks.filter(
      (check) =>
        !check.ok &&
        check.level !== 'may' &&
        check.requirement !== undefined &&
        requirements.has(check.requirement),
    ),
  )
}

/** Why a result does not prove the scenario under a fault breaking `requirements`, if it does not. */
export function proofProblem(
  result: ScenarioResult | undefined,
  requirements: readonly string[],
): string | undefined {
  if (!result) return 'no result'
  if (provingChecks(result, new Set(requirements)).length > 0) return undefined
  const detail =
    result.message ??
    result.steps.find((step) => step.outcome === 'errored')?.message ??
    failedCitations(result)
  return `outcome ${result.outcome}${detail ? ` (${detail})` : ''}: no failed check cites ${requirements.join(' or ')}`
}

function failedCitations(result: ScenarioResult): string | undefined {
  const cited = result.steps.flatMap((step) =>
    step.checks
      .filter((check) => !check.ok)
      .map((check) => `${step.id}/${check.name} cites ${check.requirement ?? 'nothing (precondition)'}`),
  )
  return cited.length > 0 ? cited.join('; ') : undefined
}
