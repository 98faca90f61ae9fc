/**
 * What `dcr-conformance run` does, without argument parsing or exit codes: validate everything,
 * then start the target (the built-in reference server when asked), discover it and run.
 */
import { resolve } from 'node:path'
import { createHttpClient, type ClosableHttpClient } from './http/client.ts'
import { createOriginPolicy } from './http/origin-policy.ts'
import { builtinTarget } from './config/builtin-target.ts'
import { resolveTarget } from './config/targets.ts'
import { preflightIat } from './config/preflight.ts'
import { issuerFromMcpServer, needsMcpIssuer } from './config/mcp-target.ts'
import { SchemaRegistry } from './checks/schemas.ts'
import type { Report, Reporter, TargetConfig } from './types.ts'
import { runScenarios } from './runner/run.ts'
import { HarnessError, UsageError } from './errors.ts'
import type { RunLedger } from './runner/ledger.ts'
import { interruptMessage } from './runner/interrupt.ts'
import { reportUnfinishedRun, trackReporters } from './runner/unfinished-run.ts'
import {
  REFERENCE_TARGET,
  prepareExpectations,
  prepareReporters,
  prepareSuite,
  prepareTarget,
  type PreparedSuite,
  type PreparedTarget,
} from './runner/prepare.ts'
import type { Shard } from './runner/plan.ts'
import type { KnownDeviation } from './runner/expectations.ts'

export interface RunSuiteOptions {
  /** `reference` (default), a target name from `targetsFile`, an issuer URL, or a config. */
  target?: string | TargetConfig
  targetsFile?: string
  /** Reference-server faults (reference target only). */
  faults?: string[]
  /** Reference-server policy overrides (reference target only). */
  referenceConfig?: Record<string, unknown>
  suite?: string[]
  grep?: string
  tags?: string[]
  shard?: Shard | string
  workers?: number
  timeoutMs?: number
  seed?: number
  bail?: boolean
  /** Expectations file (default: the target's `expectations`). */
  expectations?: string
  /** Reporter specs (`console`, `json=out.json`) or reporter objects; default none. */
  reporters?: (string | Reporter)[]
  /** `--quiet`: no console output (file reports are still written). */
  quiet?: boolean
  loginDriver?: 'auto' | 'browser' | 'http'
  /** Log in once and start later scenarios from that session (default true). */
  sessionReuse?: boolean
  headed?: boolean
  trace?: boolean
  artifactsDir?: string
  cwd?: string
  env?: Record<string, string | undefined>
  /** Where stream reporters write (default stdout). */
  stream?: NodeJS.WritableStream
  /** Interrupts the run (the CLI aborts it on SIGINT/SIGTERM); registered clients are still deleted. */
  signal?: AbortSignal
  /** The run's cleanup ledger (the CLI lists its clients when a second Ctrl-C quits at once). */
  ledger?: RunLedger
}

/** Everything validated, nothing sent yet. */
export interface PreparedRun {
  suite: PreparedSuite
  target: PreparedTarget
  expectations?: KnownDeviation[]
  reporters: Reporter[]
}

/** Validates scenarios, target, expectations and reporters; throws exit-2 errors, sends nothing. */
export async function prepareRun(options: RunSuiteOptions): Promise<PreparedRun> {
  const cwd = options.cwd ?? process.cwd()
  if (options.faults?.length && (options.target ?? REFERENCE_TARGET) !== REFERENCE_TARGET) {
    throw new UsageError('--fault works only with the built-in reference target')
  }
  const suite = await prepareSuite({
    ...(options.suite ? { suite: options.suite } : {}),
    ...(options.grep !== undefined ? { grep: options.grep } : {}),
    ...(options.tags ? { tags: options.tags } : {}),
    ...(options.shard ? { shard: options.shard } : {}),
    cwd,
  })
  const target = await prepareTarget({
    ...(options.target !== undefined ? { target: options.target } : {}),
    ...(options.targetsFile ? { targetsFile: options.targetsFile } : {}),
    ...(options.faults ? { faults: options.faults } : {}),
    ...(options.env ? { env: options.env } : {}),
    capabilities: suite.capabilities,
    cwd,
  })
  // An explicit file is relative to cwd; the target's own is already absolute.
  const expectationsFile = options.expectations
    ? resolve(cwd, options.expectations)
    : target.config?.expectations
  const expectations = await prepareExpectations(
    expectationsFile,
    suite.all,
    cwd,
    suite.catalog,
  )
  const reporters = await prepareReporters(options.reporters ?? [], {
    ...(options.stream ? { stream: options.stream } : {}),
    ...(options.quiet ? { quiet: true } : {}),
    cwd,
    ...(options.env ? { env: options.env } : {}),
  })
  return { suite, target, ...(expectations ? { expectations } : {}), reporters }
}

/** A target ready for discovery: its config and the run's HTTP client (origin policy, TLS). */
export interface ConnectedTarget {
  config: TargetConfig
  http: ClosableHttpClient
  /** How the target was found, when that took hops (discovery from an MCP server). */
  notices?: string[]
  /** Closes the HTTP client and stops the reference server when one was started. */
  close(): Promise<void>
}

/** Starts the built-in reference server when asked, and creates the HTTP client (run, fuzz). */
export async function connectTarget(
  target: PreparedTarget,
  options: Pick<RunSuiteOptions, 'faults' | 'referenceConfig'>,
): Promise<ConnectedTarget> {
  let config = target.config
  let caPem = target.caPem
  let stopReference: (() => Promise<void>) | undefined
  if (target.isReference) {
    const reference = await builtinTarget().start({
      ...(options.faults?.length ? { faults: options.faults } : {}),
      ...(options.referenceConfig ? { config: options.referenceConfig } : {}),
    })
    stopReference = () => reference.close()
    config = reference.target
    const { readFile } = await import('node:fs/promises')
    caPem = await readFile(reference.target.tls!.ca!, 'utf8')
  }
  const clientFor = (target: TargetConfig) =>
    createHttpClient({
      originPolicy: originPolicyFor(target),
      ...(target.limits ? { limits: target.limits } : {}),
      tls: {
        ...(caPem ? { ca: caPem } : {}),
        ...(target.tls?.insecure ? { insecure: true } : {}),
      },
    })
  // A target given only by its MCP server: its issuer first (harness/config/mcp-target.ts).
  const mcp = needsMcpIssuer(config!) ? await issuerFromMcpServer(config!, clientFor) : undefined
  const targetConfig = mcp?.config ?? config!
  const http = clientFor(targetConfig)
  return {
    config: targetConfig,
    http,
    ...(mcp ? { notices: mcp.notices } : {}),
    async close() {
      await http.close()
      await stopReference?.()
    },
  }
}

/**
 * Starts (reference) or discovers the target and runs the planned scenarios. Whatever happens
 * after validation, every reporter gets a report: a run that cannot start (or is interrupted
 * before its scenarios) is reported `errored` or `interrupted` with the reason
 * (runner/unfinished-run.ts); an error is then rethrown for the CLI's one `error:` line.
 */
export async function executeRun(prepared: PreparedRun, options: RunSuiteOptions): Promise<Report> {
  const tracked = trackReporters(prepared.reporters)
  const startedAt = new Date()
  let connected: ConnectedTarget | undefined
  try {
    connected = await connectTarget(prepared.target, options)
    return await discoverAndRun(prepared, options, connected, tracked.reporters)
  } catch (error) {
    if (tracked.ended()) throw error
    const interrupted = options.signal?.aborted === true
    const report = await reportUnfinishedRun({
      reporters: tracked,
      target: connected?.config ?? prepared.target.config,
      scenarios: prepared.suite.planned,
      status: interrupted ? 'interrupted' : 'errored',
      reason: interrupted ? interruptMessage(options.signal!) : errorLine(error),
      startedAt,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(prepared.suite.shard ? { shard: prepared.suite.shard } : {}),
      catalog: prepared.suite.catalog,
    })
    if (interrupted) return report
    throw error
  } finally {
    await connected?.close()
  }
}

async function discoverAndRun(
  prepared: PreparedRun,
  options: RunSuiteOptions,
  connected: ConnectedTarget,
  reporters: Reporter[],
): Promise<Report> {
  const { config: targetConfig, http } = connected
  const resolved = await resolveTarget(targetConfig, http)
  // doctor's blocking part first: a wrong IAT secret is one line, not every scenario errored.
  await preflightIat(resolved, http, options.signal)
  return await runScenarios({
    target: resolved,
    scenarios: prepared.suite.planned,
    http,
    reporters,
    notices: [...prepared.target.notices, ...(connected.notices ?? [])],
    catalog: prepared.suite.catalog,
    ...(await suiteSchemas(prepared.suite.schemaFolders)),
    ...(prepared.suite.shard ? { shard: prepared.suite.shard } : {}),
    ...(prepared.expectations ? { expectations: prepared.expectations } : {}),
    ...(options.workers ? { workers: options.workers } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.bail ? { bail: true } : {}),
    ...(options.loginDriver ? { loginDriver: options.loginDriver } : {}),
    ...(options.sessionReuse === false ? { sessionReuse: false } : {}),
    ...(options.headed ? { headed: true } : {}),
    ...(options.trace ? { trace: true } : {}),
    ...(options.artifactsDir ? { artifactsDir: options.artifactsDir } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.ledger ? { ledger: options.ledger } : {}),
  })
}

/** The one line an error prints (harness/cli.ts printError says the same). */
function errorLine(error: unknown): string {
  if (error instanceof HarnessError) return `${error.message} [${error.code}]`
  return `harness fault: ${error instanceof Error ? error.message : String(error)}`
}

/**
 * The target's origin policy. A target declaring `plain_http_probe` lets the cleartext probe
 * (registration/cleartext-http-refused) send its registration, with an IAT, to the `http://`
 * form of the issuer's host and port: that is what the capability allows.
 */
function originPolicyFor(config: TargetConfig) {
  const origins = [...(config.credential_origins ?? [])]
  if (config.capabilities?.includes('plain_http_probe')) {
    const issuer = new URL(config.issuer)
    if (issuer.protocol === 'https:') origins.push(`http://${issuer.hostname}:${issuer.port || '443'}`)
  }
  return createOriginPolicy({
    issuer: config.issuer,
    credentialOrigins: origins,
    ...(config.allow_link_local ? { allowLinkLocal: true } : {}),
  })
}

/** Validate, start, run; returns the (redacted) report. */
export async function runSuite(options: RunSuiteOptions = {}): Promise<Report> {
  return executeRun(await prepareRun(options), options)
}

/** A suite folder's own schemas join the package's (harness/scenario/extension.ts). */
async function suiteSchemas(folders: string[] | undefined): Promise<{ schemas?: SchemaRegistry }> {
  return folders && folders.length > 1 ? { schemas: await SchemaRegistry.load(folders) } : {}
}
