/**
 * What `dcr-conformance run` does, without argument parsing or exit codes: validate everything,
 * then start the target (the built-in reference server when asked), discover it and run.
 */
import { resolve } from 'node:path'
import { createHttpClient } from './http/client.ts'
import { createOriginPolicy } from './http/origin-policy.ts'
import { builtinTarget } from './config/builtin-target.ts'
import { resolveTarget } from './config/targets.ts'
import type { Report, Reporter, TargetConfig } from './types.ts'
import { runScenarios } from './runner/run.ts'
import { UsageError } from './errors.ts'
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
  loginDriver?: 'auto' | 'browser' | 'http'
  headed?: boolean
  trace?: boolean
  artifactsDir?: string
  cwd?: string
  env?: Record<string, string | undefined>
  /** Where stream reporters write (default stdout). */
  stream?: NodeJS.WritableStream
  /** Interrupts the run (the CLI aborts it on SIGINT/SIGTERM); registered clients are still deleted. */
  signal?: AbortSignal
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
    cwd,
    ...(options.env ? { env: options.env } : {}),
  })
  return { suite, target, ...(expectations ? { expectations } : {}), reporters }
}

/** Starts (reference) or discovers the target and runs the planned scenarios. */
export async function executeRun(prepared: PreparedRun, options: RunSuiteOptions): Promise<Report> {
  let config = prepared.target.config
  let caPem = prepared.target.caPem
  let stopReference: (() => Promise<void>) | undefined
  if (prepared.target.isReference) {
    const reference = await builtinTarget().start({
      ...(options.faults?.length ? { faults: options.faults } : {}),
      ...(options.referenceConfig ? { config: options.referenceConfig } : {}),
    })
    stopReference = () => reference.close()
    config = reference.target
    const { readFile } = await import('node:fs/promises')
    caPem = await readFile(reference.target.tls!.ca!, 'utf8')
  }
  const targetConfig = config!
  const http = createHttpClient({
    originPolicy: originPolicyFor(targetConfig),
    ...(targetConfig.limits ? { limits: targetConfig.limits } : {}),
    tls: {
      ...(caPem ? { ca: caPem } : {}),
      ...(targetConfig.tls?.insecure ? { insecure: true } : {}),
    },
  })
  try {
    const resolved = await resolveTarget(targetConfig, http)
    return await runScenarios({
      target: resolved,
      scenarios: prepared.suite.planned,
      http,
      reporters: prepared.reporters,
      notices: prepared.target.notices,
      catalog: prepared.suite.catalog,
      ...(prepared.suite.shard ? { shard: prepared.suite.shard } : {}),
      ...(prepared.expectations ? { expectations: prepared.expectations } : {}),
      ...(options.workers ? { workers: options.workers } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(options.bail ? { bail: true } : {}),
      ...(options.loginDriver ? { loginDriver: options.loginDriver } : {}),
      ...(options.headed ? { headed: true } : {}),
      ...(options.trace ? { trace: true } : {}),
      ...(options.artifactsDir ? { artifactsDir: options.artifactsDir } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    })
  } finally {
    await http.close()
    await stopReference?.()
  }
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
