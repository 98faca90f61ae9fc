/**
 * The checks of a step's expectations. Each expectation is rendered on its own: one that names a
 * member of this step's own answer the answer does not have (`/${{ steps.reg.body.client_id }}$`
 * after an error answer) cannot be evaluated. When its `when_present` feature is absent it is
 * not applicable; otherwise it is a failed check saying so. A precondition of the step that
 * failed on the wrong answer then makes it not applicable (step.ts gatedByPreconditions), so the
 * scenario is inconclusive, as docs/verdicts.md wants of an answer that did not set the stage;
 * when none did, step.ts errors the step: the scenario names a member the answer need not have.
 * A reference to another step, or any other template error, errors the step at once.
 */
import type { Expectation, Level, StepDoc } from '../model/scenario.ts'
import type { CheckResult, StepData } from '../model/result.ts'
import { renderTemplate, UnresolvedReferenceError } from '../scenario/template.ts'
import { CHECK_KEYS, evaluateExpectations, valueAt } from '../checks/evaluate.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'

/** Whether a template error is a missing member of the step's own data. */
function missingOwnMember(error: unknown, stepId: string): error is UnresolvedReferenceError {
  if (!(error instanceof UnresolvedReferenceError)) return false
  const [root, step] = error.segments
  return root === 'steps' && step === stepId && error.segments.length > 2
}

/** The checks of a step, and those among them that could not be evaluated. */
export interface StepChecks {
  checks: CheckResult[]
  notEvaluated: ReadonlySet<CheckResult>
}

/** The check an expectation that cannot be rendered stands for: not applicable, or failed. */
function unrendered(
  expectation: Expectation,
  data: StepData,
  defaults: { level: Level; requirement?: string },
  error: UnresolvedReferenceError,
): CheckResult {
  const requirement = expectation.requirement ?? defaults.requirement
  const check: CheckResult = {
    name: expectation.name ?? CHECK_KEYS.filter((key) => key in expectation).join(', '),
    level: expectation.level ?? defaults.level,
    ok: false,
    ...(requirement !== undefined ? { requirement } : {}),
    ...(requirement === undefined && expectation.violates !== undefined
      ? { violates: expectation.violates }
      : {}),
  }
  const path = expectation.when_present
  if (path !== undefined && valueAt(data, path) === undefined) {
    return { ...check, ok: true, notApplicable: `${path} is absent` }
  }
  return { ...check, message: `not evaluated: ${error.message}` }
}

/** Every expectation of `step` as checks on `data` (not yet gated by preconditions). */
export function expectationChecks(
  step: StepDoc,
  data: StepData,
  scope: Record<string, unknown>,
  schemas: SchemaRegistry,
): StepChecks {
  const expectations =
    step.expect === undefined ? [] : Array.isArray(step.expect) ? step.expect : [step.expect]
  // No scenario-wide default: a check without a requirement is a precondition.
  const defaults: { level: Level; requirement?: string } = { level: step.level ?? 'must' }
  if (step.requirement) defaults.requirement = step.requirement
  const notEvaluated = new Set<CheckResult>()
  const checks = expectations.flatMap((expectation) => {
    let rendered: Expectation
    try {
      rendered = renderTemplate(expectation, scope) as Expectation
    } catch (error) {
      if (!missingOwnMember(error, step.id)) throw error
      const check = unrendered(expectation, data, defaults, error)
      if (!check.ok) notEvaluated.add(check)
      return [check]
    }
    return evaluateExpectations([rendered], data, defaults, schemas)
  })
  return { checks, notEvaluated }
}
