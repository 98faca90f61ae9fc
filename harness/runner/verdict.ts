/**
 * A scenario's verdict from its steps (docs/verdicts.md): small and pure. Failed checks on
 * requirements are verdicts; a failed precondition only makes the scenario inconclusive; a
 * scenario whose checks on requirements all did not apply is skipped, never passed.
 */
import type { Blocker, CheckResult, Outcome, StepResult } from '../model/result.ts'
import { isPrecondition } from './step.ts'

/** Severity of step outcomes, worst first (skipped steps do not count). */
const SEVERITY: readonly Outcome[] = ['errored', 'failed', 'inconclusive', 'warned']

export interface ScenarioVerdict {
  outcome: Outcome
  message?: string
  blocker?: Blocker
}

/** errored > failed > inconclusive > warned > passed over the steps that ran. */
export function worstOutcome(steps: readonly StepResult[]): Outcome {
  const outcomes = new Set(steps.map((step) => step.outcome))
  return SEVERITY.find((outcome) => outcomes.has(outcome)) ?? 'passed'
}

/**
 * The verdict of a scenario's steps. `notApplicable` is the reason a step gave for not applying
 * to the target (the scenario then stopped there); `unmetConditions` why steps with `when` did
 * not run (the scenario went on).
 */
export function scenarioVerdict(
  steps: readonly StepResult[],
  notApplicable: string | undefined,
  unmetConditions: readonly string[] = [],
): ScenarioVerdict {
  const outcome = worstOutcome(steps)
  if (outcome === 'inconclusive') {
    const blocker = blockerOf(steps)
    return {
      outcome,
      ...(blocker ? { blocker, message: `precondition failed at step '${blocker.step}': ${blocker.answer}` } : {}),
    }
  }
  if (outcome !== 'passed' && outcome !== 'warned') return { outcome }
  if (notApplicable !== undefined && outcome === 'passed') {
    // Nothing went wrong before the step the target cannot support: the scenario is not tested.
    return { outcome: 'skipped', message: `not applicable: ${notApplicable}` }
  }
  const subject = steps.flatMap((step) => step.checks.filter((check) => !isPrecondition(check)))
  const [firstUnmet] = unmetConditions
  if (subject.length === 0 && firstUnmet !== undefined) {
    // The steps that would have tested something did not apply (`when`): not tested, not passed.
    return { outcome: 'skipped', message: `not applicable: ${firstUnmet}` }
  }
  if (subject.length === 0) {
    return { outcome: 'errored', message: 'no check on a requirement ran (a scenario must test something to pass)' }
  }
  if (subject.every((check) => check.notApplicable !== undefined)) {
    const reasons = [...new Set(subject.map((check) => check.notApplicable))].join('; ')
    return { outcome: 'skipped', message: `not applicable: ${reasons}` }
  }
  return { outcome }
}

/** The first failed precondition of the first inconclusive step. */
function blockerOf(steps: readonly StepResult[]): Blocker | undefined {
  const step = steps.find((candidate) => candidate.outcome === 'inconclusive')
  const check = step?.checks.find((candidate) => !candidate.ok && isPrecondition(candidate))
  if (!step || !check) return undefined
  const answer = answerOf(check)
  return {
    step: step.id,
    action: step.action,
    answer,
    cause: `${step.action}: ${generalised(answer)}`,
    ...(check.violates ? { violates: check.violates } : {}),
  }
}

function answerOf(check: CheckResult): string {
  return check.message ? `${check.name}: ${check.message}` : check.name
}

/**
 * The answer with run-specific values (client ids, tokens, ports, times) folded, so the same
 * server behaviour in two scenarios gives the same root cause.
 */
export function generalised(answer: string): string {
  return answer
    .replace(/https?:\/\/127\.0\.0\.1:\d+/g, 'https://127.0.0.1:PORT')
    .replace(/[A-Za-z0-9_-]{20,}/g, '…')
    .replace(/\b\d{9,}\b/g, 'N')
    .slice(0, 300)
}
