/**
 * Runs planned scenarios against a resolved target: applicability, parallel scenarios (bounded by
 * `workers` and the target's concurrency, real-browser logins near the CPU count: schedule.ts),
 * expectations, cleanup of registered clients, and the report. Every event is redacted before a
 * reporter sees it.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { createRedactor } from '../redact.ts'
import { SchemaRegistry } from '../checks/schemas.ts'
import type { HttpClient } from '../actions/action.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { Report, Reporter, ResolvedTarget, ScenarioResult, ShardOfPlan } from '../types.ts'
import { countOutcomes, isUnexpectedProblem, statusOf } from '../../reporters/summary.ts'
import { redactingReporters } from '../../reporters/redacting.ts'
import { deviationOutcomes, excuseKnownDeviations, type KnownDeviation } from './expectations.ts'
import { requirementVerdicts, type CatalogRow } from '../verdicts/requirements.ts'
import { rootCauses } from '../verdicts/root-causes.ts'
import { RunLedger } from './ledger.ts'
import { interruptMessage } from './interrupt.ts'
import { notApplicableReason } from './plan.ts'
import { shuffled, randomSeed } from './random.ts'
import { logsIn, runScheduled, scheduleLimits } from './schedule.ts'
import { DEFAULT_SCENARIO_TIMEOUT_MS, runScenario, type RunServices } from './scenario.ts'
import { startBrowserServices, type RunBrowserServices } from './browser.ts'
import { createIatProvider } from './iat-provider.ts'
import { learnTargetSecrets } from './secrets.ts'
import { skipped } from './skipped.ts'
import { redactResult } from './redact-result.ts'
import { capStrings, PRE_REDACTION_CAP } from '../http/cap.ts'
import { redactHtmlArtifacts } from './redact-artifacts.ts'
import { errorMessage } from './step.ts'
import { packageVersion } from '../package-root.ts'

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
  /** Log in once and start later scenarios from that session (default true; browser/session-store.ts). */
  sessionReuse?: boolean
  headed?: boolean
  trace?: boolean
  artifactsDir?: string
  /** Notices known before the run (literal secrets in targets.yaml, insecure TLS). */
  notices?: string[]
  /** Schema registry (default: fixtures/schemas). */
  schemas?: SchemaRegistry
  /** Interrupts the run: running scenarios stop (then clean up), the rest are skipped. */
  signal?: AbortSignal
  /** The cleanup ledger (the CLI lists what it holds on a second Ctrl-C); default a new one. */
  ledger?: RunLedger
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
  const ledger = options.ledger ?? new RunLedger()
  const schemas = options.schemas ?? (await SchemaRegistry.load())
  const artifactsDir = options.artifactsDir ?? join('.dcr-conformance', 'artifacts', runId)

  await emit((r) =>
    r.onRunStart?.({
      target: { name: target.name, issuer: target.issuer },
      seed,
      planned: options.scenarios.length,
      startedAt: startedAt.toISOString(),
      scenarios: options.scenarios.map((scenario) => scenario.doc.id),
    }),
  )
  for (const message of options.notices ?? []) notice(message)

  const browser: RunBrowserServices = await startBrowserServices({
    target,
    driver: options.loginDriver ?? 'auto',
    ...(options.sessionReuse === false ? { sessionReuse: false } : {}),
    ...(options.headed ? { headed: true } : {}),
    ...(options.trace ? { trace: true } : {}),
    http: options.http,
    notice,
    artifactsDir,
  })

  const iat = createIatProvider({
    target,
    http: options.http,
    browser,
    artifactsDir,
    learn: (secret) => redactor.learn(secret),
  })

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
    // Cut with a margin, redacted, then cut to size: redaction never works through a 900 KB
    // value, and no cut leaves part of a secret shorter than the margin (http/cap.ts).
    const bounded = capStrings(withExpectation, PRE_REDACTION_CAP) as ScenarioResult
    const redacted = capStrings(redactResult(bounded, redactor)) as ScenarioResult
    await redactHtmlArtifacts(withExpectation, redactor)
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
    // Scheduling: runner/schedule.ts. Real-browser logins are capped near the CPU count.
    const realBrowser = options.loginDriver !== 'http'
    const order = shuffled(runnable, seed).map((scenario) => ({
      item: scenario,
      browser: realBrowser && logsIn(scenario),
    }))
    // Chromium starts while the first HTTP steps run; the first authorization waits for it.
    if (order.some((entry) => entry.browser) || needsBrowserIat(target)) void browser.warmUp()
    const runOne = async (scenario: LoadedScenario) => {
      if (bailed) {
        await finishScenario({ ...skipped(scenario, 'bail'), notRun: true })
        return
      }
      if (options.signal?.aborted) {
        const why = `not run: ${interruptMessage(options.signal)}`
        await finishScenario({ ...skipped(scenario, why), notRun: true })
        return
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
    await runScheduled(order, scheduleLimits(options.workers, target), runOne)
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
    status: options.signal?.aborted ? 'interrupted' : statusOf(scenarios, expectations ?? []),
    ...(options.signal?.aborted ? { reason: interruptMessage(options.signal) } : {}),
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

/** Whether initial access tokens come from a user login (`authorization_code` strategy). */
function needsBrowserIat(target: ResolvedTarget): boolean {
  return target.registration?.iat?.strategy === 'authorization_code'
}

