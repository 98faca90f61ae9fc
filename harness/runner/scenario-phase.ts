/**
 * One phase of a scenario (its `steps`, then its `cleanup`) under a time budget: each step either
 * runs or is recorded as not run with the reason, and what it came to moves the scenario's
 * progress on (scenario.ts reads the verdict from it through verdict.ts).
 */
import { HarnessError } from '../errors.ts'
import type { ActionContext } from '../actions/action.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { StepDoc } from '../model/scenario.ts'
import type { StepData, StepResult } from '../model/result.ts'
import { renderTemplate } from '../scenario/template.ts'
import { matchValue } from '../checks/matchers.ts'
import { learnSecrets } from './secrets.ts'
import { actionOf, errorMessage, missingStepReferences, runStep } from './step.ts'
import { afterGrace, interruptMessage } from './interrupt.ts'
import type { RunServices } from './run-services.ts'

/** Steps whose HTTP responses may update the cleanup ledger (rotated registration tokens). */
const LEDGER_ACTIONS: ReadonlySet<string> = new Set(['register', 'http', 'token', 'parallel'])

export type PhaseKind = 'steps' | 'cleanup'

/** What a scenario's steps came to so far; both phases of one scenario add to it. */
export interface ScenarioProgress {
  steps: StepResult[]
  /** Main steps stop after an error, a failed `must` check, or a step that does not apply. */
  stopped: boolean
  notApplicable?: string
  /** Why steps with `when` did not run (the scenario goes on; see verdict.ts). */
  unmetConditions: string[]
  /** The first main step an interrupt kept from running or finishing. */
  interruptedAt?: string
  /** The timeout or interrupt that cut a step short. */
  message?: string
}

/** What the steps of one scenario share. */
export interface PhaseScope {
  loaded: LoadedScenario
  run: RunServices
  /** The template scope (`steps`, `run`, `target`, `scenario`). */
  scope: Record<string, unknown> & { steps: Record<string, StepData> }
  context(step: StepDoc, signal: AbortSignal): ActionContext
}

export function newProgress(): ScenarioProgress {
  return { steps: [], stopped: false, unmetConditions: [] }
}

export async function runPhase(
  progress: ScenarioProgress,
  phase: PhaseScope,
  kind: PhaseKind,
  list: StepDoc[],
  budgetMs: number,
): Promise<void> {
  const controller = new AbortController()
  const timer = setTimeout(() => {
    controller.abort(new HarnessError('E_HTTP_TIMEOUT', `scenario timed out after ${budgetMs} ms`))
  }, budgetMs)
  // An interrupted run starts no new main step; what is in flight (and cleanup) gets a grace
  // period, so a registration's answer still reaches the ledger (runner/interrupt.ts).
  const grace = afterGrace(phase.run.signal)
  const interrupt = () => controller.abort(grace.signal?.reason)
  grace.signal?.addEventListener('abort', interrupt, { once: true })
  try {
    for (const [index, step] of list.entries()) {
      const notRun = notRunReason(progress, phase, kind, step, controller.signal)
      if (notRun !== undefined) {
        progress.steps.push(skippedStep(step, notRun))
        continue
      }
      const result = await runOne(phase, step, controller.signal)
      // Annotations and failure text point at the step in its file.
      result.line = phase.loaded.locate([kind, index]).line
      record(progress, kind, step, result, controller.signal, grace.signal)
    }
  } finally {
    clearTimeout(timer)
    grace.dispose()
    grace.signal?.removeEventListener('abort', interrupt)
  }
}

/** Why a step is not run (the message of its skipped result); undefined when it runs. */
function notRunReason(
  progress: ScenarioProgress,
  phase: PhaseScope,
  kind: PhaseKind,
  step: StepDoc,
  signal: AbortSignal,
): string | undefined {
  const interrupted = phase.run.signal
  if (kind === 'steps' && interrupted?.aborted && !progress.stopped) {
    progress.interruptedAt ??= step.id
    return `not run: ${interruptMessage(interrupted)}`
  }
  if (kind === 'steps' && progress.stopped) {
    return progress.notApplicable
      ? 'not run: an earlier step does not apply to this target'
      : 'not run: an earlier step failed, errored or missed a precondition'
  }
  if (signal.aborted) return `not run: ${reasonOf(signal)}`
  const missing = kind === 'cleanup' ? missingStepReferences(step, phase.scope.steps) : []
  if (missing.length > 0) {
    return `not run: refers to step ${missing.join(', ')} which did not run`
  }
  const unmet = kind === 'steps' ? unmetCondition(step, phase.scope) : undefined
  if (unmet === undefined) return undefined
  progress.unmetConditions.push(unmet)
  return `not applicable: ${unmet}`
}

function runOne(phase: PhaseScope, step: StepDoc, signal: AbortSignal): Promise<StepResult> {
  const { run } = phase
  return runStep(step, {
    scope: phase.scope,
    schemas: run.schemas,
    signal,
    context: (current) => phase.context(current, signal),
    observe: (data, done) => {
      learnSecrets(data, run)
      // Only the target's own answers teach the ledger: fixture output (`use`) and request
      // bodies may hold made-up clients and tokens on purpose.
      if (LEDGER_ACTIONS.has(actionOf(step))) {
        for (const exchange of done.exchanges) run.ledger.observeExchange(exchange)
      }
    },
  })
}

/** A step's result moves the progress on: stop, not applicable, interrupted, cut short. */
function record(
  progress: ScenarioProgress,
  kind: PhaseKind,
  step: StepDoc,
  result: StepResult,
  signal: AbortSignal,
  grace: AbortSignal | undefined,
): void {
  progress.steps.push(result)
  const errored = result.outcome === 'errored'
  if (signal.aborted && errored) progress.message ??= reasonOf(signal)
  if (kind !== 'steps') return
  // runStep gives `skipped` only for a step the target cannot support.
  if (result.outcome === 'skipped') {
    progress.notApplicable ??= result.message ?? 'not applicable to this target'
    progress.stopped = true
  }
  if (grace?.aborted && errored) progress.interruptedAt ??= step.id
  const broken = result.outcome === 'failed' || result.outcome === 'inconclusive'
  if (errored || (broken && !step.continue)) progress.stopped = true
}

function reasonOf(signal: AbortSignal): string {
  return String((signal.reason as Error | undefined)?.message ?? 'aborted')
}

/** Why a step's `when` does not hold (undefined when it does, or when it has none). */
function unmetCondition(step: StepDoc, scope: Record<string, unknown>): string | undefined {
  if (!step.when) return undefined
  try {
    const { subject, is } = renderTemplate(step.when, scope, { unset: 'absent' }) as {
      subject: unknown
      is: unknown
    }
    const mismatches = matchValue(subject, is)
    return mismatches.length === 0
      ? undefined
      : `condition of step '${step.id}' not met (${mismatches.map((m) => m.message).join('; ')})`
  } catch (error) {
    return `condition of step '${step.id}' cannot be evaluated (${errorMessage(error)})`
  }
}

function skippedStep(step: StepDoc, message: string): StepResult {
  return {
    id: step.id,
    ...(step.title ? { title: step.title } : {}),
    action: actionOf(step),
    outcome: 'skipped',
    durationMs: 0,
    checks: [],
    exchanges: [],
    artifacts: [],
    message,
  }
}
