/**
 * Runs planned scenarios against a resolved target: applicability, parallel scenarios (bounded by
 * `workers` and the target's concurrency), expectations, cleanup of registered clients, and the
 * report. Every event is redacted before a reporter sees it.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { createRedactor } from '../redact.ts'
import { SchemaRegistry } from '../checks/schemas.ts'
import type { HttpClient } from '../actions/action.ts'
import type { IatPurpose } from '../actions/iat-context.ts'
import { obtainIat, type IatResult } from '../config/iat.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { Report, Reporter, ResolvedTarget, ScenarioResult, ShardOfPlan } from '../types.ts'
import { countOutcomes, isUnexpectedProblem, statusOf } from '../../reporters/summary.ts'
import { redactingReporters } from '../../reporters/redacting.ts'
import { deviationOutcomes, excuseKnownDeviations, type KnownDeviation } from './expectations.ts'
import { requirementVerdicts, type CatalogRow } from '../verdicts/requirements.ts'
import { rootCauses } from '../verdicts/root-causes.ts'
import { RunLedger } from './ledger.ts'
import { notApplicableReason } from './plan.ts'
import { shuffled, randomSeed } from './random.ts'
import { DEFAULT_SCENARIO_TIMEOUT_MS, runScenario, type RunServices } from './scenario.ts'
import { startBrowserServices, userTokenIat, type RunBrowserServices } from './browser.ts'
import { learnTargetSecrets } from './secrets.ts'
import { redactResult } from './redact-result.ts'
import { errorMessage } from './step.ts'

export interface RunOptions {
  target: ResolvedTarget
  /** The planned scenarios (filters and shard applied); applicability is decided here. */
  scenarios: LoadedScenario[]
  http: HttpClient
  workers?: number
  timeoutMs?: number
  seed?: number
  bail?: boolean
  /** Known deviations of the target (expectations file). */
  expectations?: KnownDeviation[]
  /** The requirements catalog, for the titles and levels of the requirement table. */
  catalog?: ReadonlyMap<string, CatalogRow>
  /** The shard of the plan this run is (recorded in the report for `merge`). */
  shard?: ShardOfPlan
  reporters?: Reporter[]
  loginDriver?: 'auto' | 'browser' | 'http'
  headed?: boolean
  trace?: boolean
  artifactsDir?: string
  /** Notices known before the run (literal secrets in targets.yaml, insecure TLS). */
  notices?: string[]
  /** Schema registry (default: fixtures/schemas). */
  schemas?: SchemaRegistry
  /** Interrupts the run: running scenarios stop (then clean up), the rest are skipped. */
  signal?: AbortSignal
}

/** What a plain-http target's report says instead of a verdict on transport security. */
export const PLAIN_HTTP_CAVEAT =
  'transport security not verified: the target declares plain_http (cleartext http for local development), so the https checks were not applicable'

export const TOOL = { name: 'dcr-conformance', version: packageVersion() }

export async function runScenarios(options: RunOptions): Promise<Report> {
  const startedAt = new Date()
  const started = performance.now()
  const seed = options.seed ?? randomSeed()
  const runId = `dcrc-${randomBytes(4).toString('hex')}`
  const target = options.target
  const redactor = createRedactor()
  const reporters = redactingReporters(options.reporters ?? [], redactor)
  learnTargetSecrets(target, redactor)
  const notices: string[] = []
  const emit = async (call: (reporter: Reporter) => void | Promise<void>) => {
    for (const reporter of reporters) await call(reporter)
  }
  const pendingNotices: Promise<void>[] = []
  const notice = (message: string) => {
    const clean = redactor.redactText(message)
    if (notices.includes(clean)) return
    notices.push(clean)
    pendingNotices.push(emit((r) => r.onNotice?.(clean)))
  }
  const ledger = new RunLedger()
  const schemas = options.schemas ?? (await SchemaRegistry.load())
  const artifactsDir = options.artifactsDir ?? join('.dcr-conformance', 'artifacts', runId)

  await emit((r) =>
    r.onRunStart?.({
      target: { name: target.name, issuer: target.issuer },
      seed,
      planned: options.scenarios.length,
      startedAt: startedAt.toISOString(),
    }),
  )
  for (const message of options.notices ?? []) notice(message)

  const browser: RunBrowserServices = await startBrowserServices({
    target,
    driver: options.loginDriver ?? 'auto',
    ...(options.headed ? { headed: true } : {}),
    ...(options.trace ? { trace: true } : {}),
    http: options.http,
    notice,
    artifactsDir,
  })

  const iat = async (purpose: IatPurpose, signal?: AbortSignal): Promise<IatResult> => {
    const strategy = target.registration?.iat
    const result =
      strategy?.strategy === 'authorization_code' && purpose === 'initial-access-token'
        ? await userTokenIat({
            target,
            strategy,
            http: options.http,
            browser,
            callbackUrl: browser.callbackUrlFor('initial-access-token'),
            scenarioId: 'initial-access-token',
            artifactsDir: join(artifactsDir, 'initial-access-token'),
            ...(signal ? { signal } : {}),
          })
        : await obtainIat(target, { http: options.http, ...(signal ? { signal } : {}) }, purpose)
    if (result.token) redactor.learn(result.token)
    return result
  }

  const services: RunServices = {
    target,
    http: options.http,
    ledger,
    schemas,
    learn: (secret) => redactor.learn(secret),
    learnFrom: (value) => redactor.learnFrom(value),
    notice,
    iat,
    browser: async () => browser,
    callbackUrlFor: (id) => browser.callbackUrlFor(id),
    runId,
    seed,
    timeoutMs: options.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS,
    artifactsDir,
    ...(options.signal ? { signal: options.signal } : {}),
  }

  const results = new Map<string, ScenarioResult>()
  let leftovers: { client_id: string; reason: string }[] = []
  let bailed = false
  const finishScenario = async (result: ScenarioResult) => {
    const withExpectation = excuseKnownDeviations(result, options.expectations ?? [])
    const redacted = redactResult(withExpectation, redactor)
    results.set(result.id, redacted)
    if (options.bail && isUnexpectedProblem(withExpectation)) bailed = true
    await emit((r) => r.onScenarioEnd?.(redacted))
  }

  try {
    const runnable: LoadedScenario[] = []
    for (const scenario of options.scenarios) {
      const reason = notApplicableReason(scenario, target)
      if (reason) await finishScenario(skipped(scenario, reason))
      else runnable.push(scenario)
    }
    const order = shuffled(runnable, seed)
    const workers = workerCount(options.workers, target)
    let next = 0
    const worker = async () => {
      while (next < order.length) {
        const scenario = order[next++]!
        if (bailed) {
          await finishScenario(skipped(scenario, 'bail'))
          continue
        }
        if (options.signal?.aborted) {
          await finishScenario(skipped(scenario, 'interrupted'))
          continue
        }
        await emit((r) => r.onScenarioStart?.({ id: scenario.doc.id, title: scenario.doc.title }))
        let result: ScenarioResult
        try {
          result = await runScenario(scenario, services)
        } catch (error) {
          result = {
            ...skipped(scenario, `harness fault: ${errorMessage(error)}`),
            outcome: 'errored',
          }
        }
        await browser.releaseScenario?.(scenario.doc.id).catch(() => undefined)
        await finishScenario(result)
      }
    }
    await Promise.all(Array.from({ length: Math.min(workers, Math.max(order.length, 1)) }, worker))
  } finally {
    await browser
      .close()
      .catch((error: unknown) =>
        notice(`closing the browser services failed: ${errorMessage(error)}`),
      )
    // Even when a reporter failed: never leave registered clients behind unreported.
    leftovers = await ledger.deleteAll(options.http, {
      canDelete: target.capabilities.includes('delete'),
      ...(target.endpoints['registration_endpoint']
        ? { registrationEndpoint: target.endpoints['registration_endpoint'] }
        : {}),
    })
  }

  await Promise.all(pendingNotices)
  const scenarios = options.scenarios
    .map((s) => results.get(s.doc.id))
    .filter((r): r is ScenarioResult => !!r)
  const expectations = options.expectations
    ? deviationOutcomes(options.expectations, scenarios)
    : undefined
  const report: Report = {
    schemaVersion: 1,
    tool: TOOL,
    target: { name: target.name, issuer: target.issuer },
    startedAt: startedAt.toISOString(),
    durationMs: Math.round(performance.now() - started),
    seed,
    status: statusOf(scenarios, expectations ?? []),
    ...(options.shard ? { shard: options.shard } : {}),
    counts: countOutcomes(scenarios),
    scenarios,
    requirements: requirementVerdicts(scenarios, options.catalog),
    rootCauses: rootCauses(scenarios),
    ...(expectations ? { expectations } : {}),
    ...(leftovers.length > 0 ? { leftovers: redactor.redactValue(leftovers) } : {}),
    ...(notices.length > 0 ? { notices: [...notices] } : {}),
    ...(target.capabilities.includes('plain_http') ? { caveats: [PLAIN_HTTP_CAVEAT] } : {}),
  }
  await emit((r) => r.onRunEnd(report))
  return report
}

/** `--workers` (default: CPU count), never more than the target's concurrency limit. */
export function workerCount(requested: number | undefined, target: ResolvedTarget): number {
  const wanted = requested && requested > 0 ? requested : availableParallelism()
  const cap = target.limits?.concurrency
  return Math.max(1, cap ? Math.min(wanted, cap) : wanted)
}

function skipped(scenario: LoadedScenario, reason: string): ScenarioResult {
  return {
    id: scenario.doc.id,
    title: scenario.doc.title,
    file: scenario.relativeFile,
    requirements: scenario.doc.requirements,
    tags: scenario.doc.tags ?? [],
    outcome: 'skipped',
    durationMs: 0,
    message: reason,
    steps: [],
  }
}

function packageVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string }
    return pkg.version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}
