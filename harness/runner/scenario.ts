/**
 * Runs one scenario: steps in order (stopping after an error, a failed `must` check or a failed
 * precondition unless the step says `continue`), then `cleanup` always, under the scenario's
 * time budget. The verdict comes from verdict.ts.
 */
import { join } from 'node:path'
import { HarnessError } from '../errors.ts'
import type { ActionContext, BrowserServices, HttpClient } from '../actions/action.ts'
import type { EngineActionContext, IatPurpose } from '../actions/iat-context.ts'
import type { BrowserAuthorizeRequest } from '../browser/types.ts'
import type { IatResult } from '../config/iat.ts'
import { defaultAuthMethod } from '../config/auth-method.ts'
import { defaultScope } from '../config/scope.ts'
import type { SchemaRegistry } from '../checks/schemas.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type {
  ResolvedTarget,
  ScenarioResult,
  StepData,
  StepDoc,
  StepResult,
} from '../types.ts'
import type { RunLedger } from './ledger.ts'
import { learnSecrets } from './secrets.ts'
import { skipped } from './skipped.ts'
import { actionOf, errorMessage, missingStepReferences, runStep } from './step.ts'
import { renderTemplate } from '../scenario/template.ts'
import { matchValue } from '../checks/matchers.ts'
import { scenarioVerdict } from './verdict.ts'
import { afterGrace, interruptMessage } from './interrupt.ts'

export const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000
/** Steps whose HTTP responses may update the cleanup ledger (rotated registration access tokens). */
const LEDGER_ACTIONS: ReadonlySet<string> = new Set(['register', 'http', 'token', 'parallel'])
/** Budget of the cleanup steps after a scenario timed out. */
const CLEANUP_BUDGET_MS = 30_000

/** What every scenario of a run shares. */
export interface RunServices {
  target: ResolvedTarget
  http: HttpClient
  ledger: RunLedger
  schemas: SchemaRegistry
  learn(secret: string): void
  /** Learn every secret a value holds, by the redactor's own rules (private JWK members, ...). */
  learnFrom(value: unknown): void
  notice(message: string): void
  iat(purpose: IatPurpose, signal?: AbortSignal): Promise<IatResult>
  browser(): Promise<BrowserServices>
  callbackUrlFor(scenarioId: string): string
  runId: string
  seed: number
  timeoutMs: number
  artifactsDir: string
  /** Aborted when the run is interrupted (SIGINT). */
  signal?: AbortSignal
}

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
  const scope = {
    steps: {} as Record<string, StepData>,
    run: {
      callback_url: callbackUrl,
      unique: `${run.runId}-${(++uniqueCounter).toString(36)}`,
      id: run.runId,
      seed: run.seed,
    },
    target: {
      name: run.target.name,
      issuer: run.target.issuer,
      metadata: run.target.metadata,
      endpoints: run.target.endpoints,
      scope: defaultScope(run.target, run.target.metadata),
      auth_method: defaultAuthMethod(run.target.metadata),
      data: run.target.data ?? {},
      capabilities: run.target.capabilities,
    },
    scenario: { id: doc.id, title: doc.title },
  }
  const steps: StepResult[] = []
  let message: string | undefined
  let stopped = false
  let notApplicable: string | undefined
  /** Why steps with `when` did not run (the scenario goes on; see verdict.ts). */
  const unmetConditions: string[] = []
  /** The first main step an interrupt kept from running or finishing. */
  let interruptedAt: string | undefined

  const phase = async (list: StepDoc[], budgetMs: number, kind: 'steps' | 'cleanup') => {
    const controller = new AbortController()
    const timer = setTimeout(
      () =>
        controller.abort(
          new HarnessError('E_HTTP_TIMEOUT', `scenario timed out after ${budgetMs} ms`),
        ),
      budgetMs,
    )
    // An interrupted run starts no new main step; what is in flight (and cleanup) gets a grace
    // period, so a registration's answer still reaches the ledger (runner/interrupt.ts).
    const grace = afterGrace(run.signal)
    const interrupt = () => controller.abort(grace.signal?.reason)
    grace.signal?.addEventListener('abort', interrupt, { once: true })
    try {
      for (const step of list) {
        if (kind === 'steps' && run.signal?.aborted && !stopped) {
          interruptedAt ??= step.id
          steps.push(skippedStep(step, `not run: ${interruptMessage(run.signal)}`))
          continue
        }
        if (kind === 'steps' && stopped) {
          const why = notApplicable
            ? 'an earlier step does not apply to this target'
            : 'an earlier step failed, errored or missed a precondition'
          steps.push(skippedStep(step, `not run: ${why}`))
          continue
        }
        if (controller.signal.aborted) {
          const why = (controller.signal.reason as Error | undefined)?.message ?? 'aborted'
          steps.push(skippedStep(step, `not run: ${why}`))
          continue
        }
        if (kind === 'cleanup') {
          const missing = missingStepReferences(step, scope.steps)
          if (missing.length > 0) {
            steps.push(
              skippedStep(step, `not run: refers to step ${missing.join(', ')} which did not run`),
            )
            continue
          }
        }
        const unmet = kind === 'steps' ? unmetCondition(step, scope) : undefined
        if (unmet !== undefined) {
          unmetConditions.push(unmet)
          steps.push(skippedStep(step, `not applicable: ${unmet}`))
          continue
        }
        const result = await runStep(step, {
          scope,
          schemas: run.schemas,
          signal: controller.signal,
          context: (current) =>
            actionContext(current, run, doc.id, callbackUrl, controller.signal, freshLogin),
          observe: (data, done) => {
            learnSecrets(data, run)
            // Only the target's own answers teach the ledger: fixture output (`use`) and request
            // bodies may hold made-up clients and tokens on purpose.
            if (LEDGER_ACTIONS.has(actionOf(step))) {
              for (const exchange of done.exchanges) run.ledger.observeExchange(exchange)
            }
          },
        })
        // Annotations and failure text point at the step in its file.
        result.line = loaded.locate([kind, list.indexOf(step)]).line
        steps.push(result)
        // runStep gives `skipped` only for a step the target cannot support.
        if (result.outcome === 'skipped' && kind === 'steps') {
          notApplicable ??= result.message ?? 'not applicable to this target'
          stopped = true
        }
        if (controller.signal.aborted && result.outcome === 'errored' && message === undefined) {
          message = String((controller.signal.reason as Error | undefined)?.message ?? 'aborted')
        }
        if (kind === 'steps' && grace.signal?.aborted && result.outcome === 'errored') {
          interruptedAt ??= step.id
        }
        const broken = result.outcome === 'failed' || result.outcome === 'inconclusive'
        if (kind === 'steps' && (result.outcome === 'errored' || (broken && !step.continue))) {
          stopped = true
        }
      }
    } finally {
      clearTimeout(timer)
      grace.dispose()
      grace.signal?.removeEventListener('abort', interrupt)
    }
  }

  await phase(doc.steps, timeoutMs, 'steps')
  if (doc.cleanup?.length)
    await phase(doc.cleanup, Math.min(timeoutMs, CLEANUP_BUDGET_MS), 'cleanup')

  const verdict = scenarioVerdict(steps, notApplicable, unmetConditions)
  // Cut short by an interrupt: only a MUST failure already seen is a verdict; the rest is not run.
  if (interruptedAt !== undefined && verdict.outcome !== 'failed') {
    return {
      ...skipped(loaded, `${interruptMessage(run.signal!)} at step '${interruptedAt}'`),
      durationMs: Math.round(performance.now() - started),
      notRun: true,
      steps,
    }
  }
  // A timeout or interruption explains an errored scenario better than its step does.
  if (verdict.outcome !== 'errored' || message === undefined) {
    if (verdict.message !== undefined) message = verdict.message
  }
  return {
    id: doc.id,
    title: doc.title,
    file: loaded.relativeFile,
    requirements: doc.requirements,
    tags: doc.tags ?? [],
    outcome: verdict.outcome,
    durationMs: Math.round(performance.now() - started),
    ...(message !== undefined ? { message } : {}),
    ...(verdict.blocker ? { blocker: verdict.blocker } : {}),
    steps,
  }
}

/** Why a step's `when` does not hold (undefined when it does, or when it has none). */
function unmetCondition(step: StepDoc, scope: Record<string, unknown>): string | undefined {
  if (!step.when) return undefined
  try {
    const { subject, is } = renderTemplate(step.when, scope) as { subject: unknown; is: unknown }
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
