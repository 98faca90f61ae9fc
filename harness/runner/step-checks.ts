/**
 * The checks of a step's expectations. Each expectation is rendered on its own: one that names a
 * member of this step's own answer the answer does not have (`/${{ steps.reg.body.client_id }}$`
 * after an error answer) cannot be evaluated, and becomes a failed check saying so instead of
 * erroring the step. Its precondition, when the answer was the wrong one, fails beside it and
 * makes it not applicable (step.ts gatedByPreconditions), so the scenario is inconclusive, as
 * docs/verdicts.md wants of an answer that did not set the stage. A reference to another step,
 * or any other template error, is the scenario's mistake and still errors the step.
 */
import type { Expectation, Level, StepDoc } from '../model/scenario.ts'
import type { CheckResult, StepData } from '../model/result.ts'
import { HarnessError } from '../errors.ts'
import { renderTemplate } from '../scenario/template.ts'
import { evaluateExpectations } from '../checks/evaluate.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'

/** Whether a template error is a missing member of the step's own data. */
function missingOwnMember(error: unknown, stepId: string): error is HarnessError {
  return (
    error instanceof HarnessError &&
    error.code === 'E_TEMPLATE' &&
    error.message.startsWith(`unresolved reference steps.${stepId}.`)
  )
}

/** Every expectation of `step` as checks on `data` (not yet gated by preconditions). */
export function expectationChecks(
  step: StepDoc,
  data: StepData,
  scope: Record<string, unknown>,
  schemas: SchemaRegistry,
): CheckResult[] {
  const expectations =
    step.expect === undefined ? [] : Array.isArray(step.expect) ? step.expect : [step.expect]
  // No scenario-wide default: a check without a requirement is a precondition.
  const defaults: { level: Level; requirement?: string } = { level: step.level ?? 'must' }
  if (step.requirement) defaults.requirement = step.requirement
  return expectations.flatMap((expectation) => {
    let rendered: Expectation
    try {
      rendered = renderTemplate(expectation, scope) as Expectation
    } catch (error) {
      if (!missingOwnMember(error, step.id)) throw error
      const requirement = expectation.requirement ?? defaults.requirement
      return [
        {
          name: expectation.name ?? 'expectation',
          level: expectation.level ?? defaults.level,
          ok: false,
          message: `not evaluated: ${error.message}`,
          ...(requirement !== undefined ? { requirement } : {}),
        },
      ]
    }
    return evaluateExpectations([rendered], data, defaults, schemas)
  })
}
