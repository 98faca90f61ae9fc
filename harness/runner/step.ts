/**
 * Runs one step: render its input, run the action (bounded by the scenario's signal), learn the
 * secrets it produced, then render and evaluate its expectations.
 */
import {
  ACTION_NAMES,
  type ActionName,
  type StepDoc,
} from '../model/scenario.ts'
import type { CheckResult, Outcome, StepData, StepResult } from '../model/result.ts'
import { HarnessError, UnmetPreconditionError } from '../errors.ts'
import { NotApplicableError } from '../config/not-applicable.ts'
import { actionFor } from '../actions/registry.ts'
import { exchangesOf } from '../actions/prepared.ts'
import { exchangeOf } from '../http/client.ts'
import type { ActionContext, ActionResult } from '../actions/action.ts'
import { renderTemplate, templateReferences } from '../scenario/template.ts'
import { expectationChecks } from './step-checks.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'
import { valueTooDeep } from '../http/json.ts'
import { rateLimitedChecks } from '../verdicts/rate-limited.ts'
import { credentialsRefusedChecks } from '../verdicts/credentials-refused.ts'
import { metadataMissingChecksFor } from '../verdicts/metadata-missing.ts'

export interface StepEnvironment {
  scope: Record<string, unknown> & { steps: Record<string, StepData> }
  context: (step: StepDoc) => ActionContext
  schemas: SchemaRegistry
  signal: AbortSignal
  /** Called with the step's data as soon as it exists (learn secrets, update the ledger). */
  observe(data: StepData, result: ActionResult): void
}

/** The action key of a step (the loader guarantees exactly one). */
export function actionOf(step: StepDoc): ActionName {
  const name = ACTION_NAMES.find((candidate) => step[candidate] !== undefined)
  if (!name) throw new HarnessError('E_SCENARIO', `step '${step.id}' has no action`)
  return name
}

/** JSON bodies nest at most 64 levels (http/json.ts), plus the few levels of the step's data. */
export const MAX_STEP_DATA_DEPTH = 80

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
    const input = renderTemplate(step[action], env.scope, { unset: 'absent' })
    const implementation = await actionFor(action)
    const context = env.context(step)
    const done = await untilAborted(implementation.execute(input, context), env.signal)
    result.exchanges.push(...done.exchanges)
    result.artifacts.push(...(done.artifacts ?? []))
    // Nothing nested deeper reaches templates, matchers or reports (a decoded JWT can be).
    if (valueTooDeep(done.data, MAX_STEP_DATA_DEPTH)) {
      const why = `the step's answer nests deeper than ${MAX_STEP_DATA_DEPTH} levels; not used`
      return finish('errored', `E_ACTION: ${why}`)
    }
    env.scope.steps[step.id] = done.data
    env.observe(done.data, done)
    const driver = action === 'authorize' ? done.data['driver'] : undefined
    if (driver === 'browser' || driver === 'http') result.driver = driver
    if (action === 'authorize' && typeof done.data['session_reused'] === 'boolean')
      result.sessionReused = done.data['session_reused']
  } catch (error) {
    result.exchanges.push(...exchangesOf(error))
    result.artifacts.push(...artifactsOf(error))
    // The target cannot support this step: the scenario is skipped, not errored.
    if (error instanceof NotApplicableError) return finish('skipped', error.message)
    result.checks = unjudgedByError(error)
    const outcome = result.checks.length > 0 ? outcomeOfChecks(result.checks) : 'errored'
    return finish(outcome, errorMessage(error))
  }
  const data = env.scope.steps[step.id]
  // An answer that judges nothing (a 429 here or on the way, the run's credentials refused)
  // leaves the expectations unrendered: they may name members only a judged answer has.
  const unjudged = [
    ...rateLimitedChecks(data, result.exchanges),
    ...credentialsRefusedChecks(result.exchanges),
  ]
  if (unjudged.length > 0) {
    result.checks = unjudged
    return finish(outcomeOfChecks(unjudged))
  }
  try {
    const { checks, notEvaluated } = expectationChecks(step, data ?? {}, env.scope, env.schemas)
    const unexplained = unexplainedCheck(checks, notEvaluated)
    if (unexplained) return finish('errored', `expectations: ${unexplained.message ?? ''}`)
    result.checks = gatedByPreconditions(checks)
  } catch (error) {
    const missing = metadataMissingChecksFor(error)
    if (missing.length === 0) return finish('errored', `expectations: ${errorMessage(error)}`)
    result.checks = missing
    return finish(outcomeOfChecks(missing))
  }
  return finish(outcomeOfChecks(result.checks))
}

/**
 * The failing precondition of an action that ended for a reason that judges nothing, or none (the
 * step then errors): an earlier answer lacking what the action needs (UnmetPreconditionError); a
 * request on the way rate limited past the retries, the target's rate and no fault of the harness
 * (verdicts/rate-limited.ts); a metadata member the step's input names missing from the target's
 * discovery document (verdicts/metadata-missing.ts).
 */
function unjudgedByError(error: unknown): CheckResult[] {
  if (error instanceof UnmetPreconditionError) {
    return [{ name: error.precondition, level: 'must', ok: false, message: error.message }]
  }
  const missing = metadataMissingChecksFor(error)
  if (missing.length > 0) return missing
  // Only the request the action ended on: a 429 earlier in a fixture explains no later error.
  const own = exchangeOf(error)
  return rateLimitedChecks(undefined, own ? [own] : [])
}

/**
 * A check that could not be evaluated although no evaluated precondition of its step failed:
 * the answer was the expected kind, so the scenario names a member it need not have.
 */
function unexplainedCheck(
  checks: CheckResult[],
  notEvaluated: ReadonlySet<CheckResult>,
): CheckResult | undefined {
  if (notEvaluated.size === 0) return undefined
  const explained = checks.some(
    (check) =>
      isPrecondition(check) && !check.ok && check.level !== 'may' && !notEvaluated.has(check),
  )
  return explained ? undefined : [...notEvaluated][0]
}

/**
 * When a precondition of a step fails, the stage for the step's own checks on requirements was
 * not set either: they are not applicable, so an error-format verdict never rests on an answer
 * that was not an error (docs/verdicts.md).
 */
export function gatedByPreconditions(checks: CheckResult[]): CheckResult[] {
  const failed = checks.find((check) => isPrecondition(check) && !check.ok && check.level !== 'may')
  if (!failed) return checks
  const reason = `precondition '${failed.name}' of this step did not hold`
  return checks.map((check) => {
    if (isPrecondition(check)) return check
    const { message: _message, expected: _expected, actual: _actual, ...rest } = check
    return { ...rest, ok: true, notApplicable: reason }
  })
}

/** A check that names no requirement: it sets the stage and proves nothing (docs/verdicts.md). */
export function isPrecondition(check: CheckResult): boolean {
  return check.requirement === undefined
}

/**
 * `failed` when a must check on a requirement failed, else `inconclusive` when a precondition
 * failed (whatever its level: the next step cannot rely on this one), else `warned` when a
 * should check failed, else `passed`.
 */
export function outcomeOfChecks(checks: CheckResult[]): Outcome {
  const broken = checks.filter((check) => !check.ok)
  if (broken.some((check) => !isPrecondition(check) && check.level === 'must')) return 'failed'
  if (broken.some((check) => isPrecondition(check) && check.level !== 'may')) return 'inconclusive'
  if (broken.some((check) => check.level === 'should')) return 'warned'
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
