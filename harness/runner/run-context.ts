/**
 * Setting up a run (the first of run.ts's three parts): the run's identity, redaction in front of
 * every reporter (reporters/redacting.ts), notices, the browser services, the IAT source and
 * the services every scenario shares; and closing it all down, cleanup of clients included.
 */
import { randomBytes } from 'node:crypto'
import { createRedactor, type Redactor } from '../redact.ts'
import { SchemaRegistry } from '../checks/schemas.ts'
import type { HttpClient } from '../http/types.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { ResolvedTarget } from '../model/target.ts'
import type { ShardOfPlan } from '../model/report.ts'
import type { Reporter } from '../model/reporter.ts'
import type { CatalogRow } from '../verdicts/requirements.ts'
import { redactingReporters } from '../../reporters/redacting.ts'
import type { KnownDeviation } from './expectations.ts'
import { RunLedger, type Leftover } from './ledger.ts'
import { artifactsDirOf, type RunConfig } from './run-config.ts'
import type { RunServices } from './run-services.ts'
import { startBrowserServices, type RunBrowserServices } from './browser.ts'
import { createIatProvider } from './iat-provider.ts'
import { learnTargetSecrets } from './secrets.ts'
import { errorMessage } from './step.ts'

/** What a run works on, found after the configuration: the target's answers, the loaded files. */
export interface RunInputs {
  target: ResolvedTarget
  /** The planned scenarios (filters and shard applied); applicability is decided in the run. */
  scenarios: LoadedScenario[]
  http: HttpClient
  reporters?: Reporter[]
  /** Notices known before the run (literal secrets in targets.yaml, insecure TLS). */
  notices?: string[]
  /** The requirements catalog, for the titles and levels of the requirement table. */
  catalog?: ReadonlyMap<string, CatalogRow>
  /** Schema registry (default: fixtures/schemas). */
  schemas?: SchemaRegistry
  /** The shard of the plan this run is (recorded in the report for `merge`). */
  shard?: ShardOfPlan
  /** Known deviations of the target (expectations file). */
  expectations?: KnownDeviation[]
  /** Interrupts the run: running scenarios stop (then clean up), the rest are skipped. */
  signal?: AbortSignal
  /** The cleanup ledger (the CLI lists what it holds on a second Ctrl-C); default a new one. */
  ledger?: RunLedger
}

/** Redacted reporting: every event and notice passes the run's redactor first. */
export interface RunReporting {
  redactor: Redactor
  /** The notices so far, redacted, each once. */
  notices: string[]
  emit(call: (reporter: Reporter) => void | Promise<void>): Promise<void>
  notice(message: string): void
  /** Resolves when every notice has reached the reporters. */
  settled(): Promise<void>
}

export interface RunContext extends RunReporting {
  config: RunConfig
  inputs: RunInputs
  startedAt: Date
  /** performance.now() at the start, for the report's duration. */
  started: number
  browser: RunBrowserServices
  services: RunServices
  /** Closes the browser services and deletes the registered clients; returns what is left. */
  close(): Promise<Leftover[]>
}

/** Starts reporting (onRunStart), then the services; nothing is sent to the target yet. */
export async function createRunContext(config: RunConfig, inputs: RunInputs): Promise<RunContext> {
  const startedAt = new Date()
  const started = performance.now()
  const runId = `dcrc-${randomBytes(4).toString('hex')}`
  const { target, http } = inputs
  const reporting = openReporting(inputs)
  const ledger = inputs.ledger ?? new RunLedger()
  const schemas = inputs.schemas ?? (await SchemaRegistry.load())
  const artifactsDir = artifactsDirOf(config, runId)
  await reporting.emit((r) =>
    r.onRunStart?.({
      target: { name: target.name, issuer: target.issuer },
      seed: config.seed,
      planned: inputs.scenarios.length,
      startedAt: startedAt.toISOString(),
      scenarios: inputs.scenarios.map((scenario) => scenario.doc.id),
    }),
  )
  for (const message of inputs.notices ?? []) reporting.notice(message)
  const browser = await startBrowserServices({
    target,
    driver: config.loginDriver,
    sessionReuse: config.sessionReuse,
    headed: config.headed,
    trace: config.trace,
    http,
    notice: reporting.notice,
    artifactsDir,
  })
  const { redactor } = reporting
  const learn = (secret: string) => redactor.learn(secret)
  const iat = createIatProvider({ target, http, browser, artifactsDir, learn })
  const services: RunServices = {
    target,
    http,
    ledger,
    schemas,
    learn,
    learnFrom: (value) => redactor.learnFrom(value),
    notice: reporting.notice,
    iat,
    browser: async () => browser,
    callbackUrlFor: (id) => browser.callbackUrlFor(id),
    runId,
    seed: config.seed,
    timeoutMs: config.timeoutMs,
    artifactsDir,
    ...(inputs.signal ? { signal: inputs.signal } : {}),
  }
  const close = () => closeRun(browser, ledger, inputs, reporting.notice)
  return { ...reporting, config, inputs, startedAt, started, browser, services, close }
}

/** The redactor learns the target's secrets before the first event reaches a reporter. */
function openReporting(inputs: RunInputs): RunReporting {
  const redactor = createRedactor()
  const reporters = redactingReporters(inputs.reporters ?? [], redactor)
  learnTargetSecrets(inputs.target, redactor)
  const notices: string[] = []
  const pending: Promise<void>[] = []
  const emit = async (call: (reporter: Reporter) => void | Promise<void>) => {
    for (const reporter of reporters) await call(reporter)
  }
  const notice = (message: string) => {
    const clean = redactor.redactText(message)
    if (notices.includes(clean)) return
    notices.push(clean)
    pending.push(emit((r) => r.onNotice?.(clean)))
  }
  return { redactor, notices, emit, notice, settled: async () => void (await Promise.all(pending)) }
}

/** Even when a reporter failed: never leave registered clients behind unreported. */
async function closeRun(
  browser: RunBrowserServices,
  ledger: RunLedger,
  inputs: RunInputs,
  notice: (message: string) => void,
): Promise<Leftover[]> {
  // Independent: Chromium's shutdown (a few hundred ms) overlaps the deletions.
  const closed = browser
    .close()
    .catch((error: unknown) =>
      notice(`closing the browser services failed: ${errorMessage(error)}`),
    )
  const { target } = inputs
  const registrationEndpoint = target.endpoints['registration_endpoint']
  try {
    return await ledger.deleteAll(inputs.http, {
      canDelete: target.capabilities.includes('delete'),
      ...(registrationEndpoint ? { registrationEndpoint } : {}),
    })
  } finally {
    await closed
  }
}
