/**
 * Runs one scenario: steps in order (stopping after an error, a failed `must` check or a failed
 * precondition unless the step says `continue`), then `cleanup` always, under the scenario's
 * time budget (each phase: scenario-phase.ts). The verdict comes from verdict.ts.
 */
import { join } from 'node:path'
import type { ActionContext } from '../actions/action.ts'
import type { BrowserServices } from '../browser/types.ts'
import type { EngineActionContext } from '../actions/iat-context.ts'
import type { BrowserAuthorizeRequest } from '../browser/types.ts'
import { defaultAuthMethod } from '../config/auth-method.ts'
import { defaultScope } from '../config/scope.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { StepDoc } from '../model/scenario.ts'
import type { ScenarioResult } from '../model/result.ts'
import type { RunServices } from './run-services.ts'
import { skipped } from './skipped.ts'
import { newProgress, runPhase, type PhaseScope, type ScenarioProgress } from './scenario-phase.ts'
import { scenarioVerdict } from './verdict.ts'
import { interruptMessage } from './interrupt.ts'

/** Budget of the cleanup steps after a scenario timed out. */
const CLEANUP_BUDGET_MS = 30_000

let uniqueCounter = 0

export async function runScenario(
  loaded: LoadedScenario,
  run: RunServices,
): Promise<ScenarioResult> {
  const doc = loaded.doc
  const started = performance.now()
  const timeoutMs = doc.timeout ?? run.timeoutMs
  const callbackUrl = run.callbackUrlFor(doc.id)
  const freshLogin = doc.login === 'fresh'
  const phase: PhaseScope = {
    loaded,
    run,
    scope: templateScope(loaded, run, callbackUrl),
    context: (step, signal) => actionContext(step, run, doc.id, callbackUrl, signal, freshLogin),
  }
  const progress = newProgress()
  await runPhase(progress, phase, 'steps', doc.steps, timeoutMs)
  if (doc.cleanup?.length) {
    await runPhase(progress, phase, 'cleanup', doc.cleanup, Math.min(timeoutMs, CLEANUP_BUDGET_MS))
  }
  return scenarioResult(loaded, progress, Math.round(performance.now() - started), run.signal)
}

/** What templates see: `steps`, `run`, `target` and `scenario` (docs of the scenario format). */
function templateScope(
  loaded: LoadedScenario,
  run: RunServices,
  callbackUrl: string,
): PhaseScope['scope'] {
  const { target } = run
  return {
    steps: {},
    run: {
      callback_url: callbackUrl,
      unique: `${run.runId}-${(++uniqueCounter).toString(36)}`,
      id: run.runId,
      seed: run.seed,
    },
    target: {
      name: target.name,
      issuer: target.issuer,
      metadata: target.metadata,
      endpoints: target.endpoints,
      scope: defaultScope(target, target.metadata),
      auth_method: defaultAuthMethod(target.metadata),
      data: target.data ?? {},
      capabilities: target.capabilities,
    },
    scenario: { id: loaded.doc.id, title: loaded.doc.title },
  }
}

/** The scenario's result from its progress: the verdict (verdict.ts), or not run when cut short. */
function scenarioResult(
  loaded: LoadedScenario,
  progress: ScenarioProgress,
  durationMs: number,
  signal: AbortSignal | undefined,
): ScenarioResult {
  const { doc } = loaded
  const { steps, interruptedAt } = progress
  const verdict = scenarioVerdict(steps, progress.notApplicable, progress.unmetConditions)
  // Cut short by an interrupt: only a MUST failure already seen is a verdict; the rest is not run.
  if (interruptedAt !== undefined && verdict.outcome !== 'failed') {
    const why = `${interruptMessage(signal!)} at step '${interruptedAt}'`
    return { ...skipped(loaded, why), durationMs, notRun: true, steps }
  }
  // A timeout or interruption explains an errored scenario better than its step does.
  const cutShort = verdict.outcome === 'errored' ? progress.message : undefined
  const message = cutShort ?? verdict.message ?? progress.message
  return {
    id: doc.id,
    title: doc.title,
    file: loaded.relativeFile,
    requirements: doc.requirements,
    tags: doc.tags ?? [],
    outcome: verdict.outcome,
    durationMs,
    ...(message !== undefined ? { message } : {}),
    ...(verdict.blocker ? { blocker: verdict.blocker } : {}),
    steps,
  }
}

/**
 * The run's login machinery as a scenario with `login: fresh` sees it: its authorizations never
 * start from the run's stored session (browser/session-store.ts).
 */
function loginAware(services: BrowserServices, freshLogin: boolean): BrowserServices {
  if (!freshLogin) return services
  return {
    authorize(request) {
      const fresh: BrowserAuthorizeRequest = { ...request, freshLogin: true }
      return services.authorize(fresh)
    },
  }
}

function actionContext(
  step: StepDoc,
  run: RunServices,
  scenarioId: string,
  callbackUrl: string,
  signal: AbortSignal,
  freshLogin: boolean,
): ActionContext {
  const context: EngineActionContext = {
    target: run.target,
    http: run.http,
    ledger: run.ledger,
    iat: (purpose, iatSignal) => run.iat(purpose, iatSignal ?? signal),
    initialAccessToken: async (iatSignal) =>
      (await run.iat('initial-access-token', iatSignal ?? signal)).token,
    browser: async () => loginAware(await run.browser(), freshLogin),
    callbackUrl,
    scenarioId,
    artifactsDir: join(run.artifactsDir, safeSegment(scenarioId), safeSegment(step.id)),
    signal,
    notice: run.notice,
  }
  return context
}

function safeSegment(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_')
}
