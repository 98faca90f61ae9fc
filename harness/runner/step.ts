/**
 * Runs one step: render its input, run the action (bounded by the scenario's signal), learn the
 * secrets it produced, then render and evaluate its expectations.
 */
import {
  ACTION_NAMES,
  type ActionName,
  type CheckResult,
  type Expectation,
  type Level,
  type Outcome,
  type StepDoc,
  type StepData,
  type StepResult,
} from '../types.ts'
import { HarnessError } from '../errors.ts'
import { NotApplicableError } from '../config/not-applicable.ts'
import { actionFor } from '../actions/registry.ts'
import { exchangesOf } from '../actions/prepared.ts'
import type { ActionContext, ActionResult } from '../actions/action.ts'
import { renderTemplate, templateReferences } from '../scenario/template.ts'
import { evaluateExpectations } from '../checks/evaluate.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'

export interface StepEnvironment {
  scope: Record<string, unknown> & { steps: Record<string, StepData> }
  context: (step: StepDoc) => ActionContext
  schemas: SchemaRegistry
  signal: AbortSignal
  defaultRequirement?: string
  /** Called with the step's data as soon as it exists (learn secrets, update the ledger). */
  observe(data: StepData, result: ActionResult): void
}

/** The action key of a step (the loader guarantees exactly one). */
export function actionOf(step: StepDoc): ActionName {
  const name = ACTION_NAMES.find((candidate) => step[candidate] !== undefined)
  if (!name) throw new HarnessError('E_SCENARIO', `step '${step.id}' has no action`)
  return name
}

/**
 * Runs one step. The outcome is `errored` when the action could not be carried out, `skipped`
 * when it does not apply to the target (`NotApplicableError`), else the checks' verdict.
 */
export async function runStep(step: StepDoc, env: StepEnvironment): Promise<StepResult> {
  const started = performance.now()
  const action = actionOf(step)
  const result: StepResult = {
    id: step.id,
    ...(step.title ? { title: step.title } : {}),
    action,
    outcome: 'passed',
    durationMs: 0,
    checks: [],
    exchanges: [],
    artifacts: [],
  }
  const finish = (outcome: Outcome, message?: string): StepResult => {
    result.outcome = outcome
    if (message !== undefined) result.message = message
    result.durationMs = Math.round(performance.now() - started)
    return result
  }
  try {
    const input = renderTemplate(step[action], env.scope)
    const implementation = await actionFor(action)
    const context = env.context(step)
    const done = await untilAborted(implementation.execute(input, context), env.signal)
    result.exchanges.push(...done.exchanges)
    result.artifacts.push(...(done.artifacts ?? []))
    env.scope.steps[step.id] = done.data
    env.observe(done.data, done)
  } catch (error) {
    result.exchanges.push(...exchangesOf(error))
    result.artifacts.push(...artifactsOf(error))
    // The target cannot support this step: the scenario is skipped, not errored.
    if (error instanceof NotApplicableError) return finish('skipped', error.message)
    return finish('errored', errorMessage(error))
  }
  try {
    const expectations =
      step.expect === undefined ? [] : Array.isArray(step.expect) ? step.expect : [step.expect]
    const rendered = renderTemplate(expectations, env.scope) as Expectation[]
    const defaults: { level: Level; requirement?: string } = { level: step.level ?? 'must' }
    const requirement = step.requirement ?? env.defaultRequirement
    if (requirement) defaults.requirement = requirement
    result.checks = evaluateExpectations(
      rendered,
      env.scope.steps[step.id] ?? {},
      defaults,
      env.schemas,
    )
  } catch (error) {
    return finish('errored', `expectations: ${errorMessage(error)}`)
  }
  return finish(outcomeOfChecks(result.checks))
}

/** `failed` when a must check failed, `warned` when a should check failed, else `passed`. */
export function outcomeOfChecks(checks: CheckResult[]): Outcome {
  if (checks.some((check) => !check.ok && check.level === 'must')) return 'failed'
  if (checks.some((check) => !check.ok && check.level === 'should')) return 'warned'
  return 'passed'
}

/** Earlier steps a step refers to that have no result (they did not run). */
export function missingStepReferences(step: StepDoc, steps: Record<string, unknown>): string[] {
  const missing = new Set<string>()
  for (const path of templateReferences(step)) {
    const match = /^steps\.([^.[\]]+)/.exec(path)
    if (match?.[1] && !(match[1] in steps)) missing.add(match[1])
  }
  return [...missing]
}

function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError(signal))
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  return reason instanceof Error ? reason : new HarnessError('E_HTTP_TIMEOUT', 'aborted')
}

export function errorMessage(error: unknown): string {
  if (error instanceof HarnessError) return `${error.code}: ${error.message}`
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return String(error)
}

function artifactsOf(error: unknown): StepResult['artifacts'] {
  if (typeof error !== 'object' || error === null) return []
  const list = (error as { artifacts?: unknown }).artifacts
  return Array.isArray(list) ? (list as StepResult['artifacts']) : []
}
