/**
 * The run configuration: built and validated once (from argv in harness/cli.ts, or from the
 * options a caller of runSuite gives), defaults filled in, then frozen and passed down read-only
 * to preparation (prepare.ts), the start of the target (run-suite.ts) and the run (run.ts).
 * `list`, `doctor` and `fuzz` build theirs the same way, so a rule here holds for every command.
 */
import { choiceOption } from '../config/args.ts'
import { join, resolve } from 'node:path'
import { UsageError } from '../errors.ts'
import type { TargetConfig } from '../model/target.ts'
import type { Reporter } from '../model/reporter.ts'
import { parseShard, type Shard } from './plan.ts'
import { randomSeed } from './random.ts'
import { packageSuitePattern, defaultSuitesFolder } from './suite-patterns.ts'

export const REFERENCE_TARGET = 'reference'

/** A scenario's time budget unless it sets `timeout`. */
export const DEFAULT_SCENARIO_TIMEOUT_MS = 60_000

export const LOGIN_DRIVERS = ['auto', 'browser', 'http'] as const
export type LoginDriver = (typeof LOGIN_DRIVERS)[number]

export interface RunConfig {
  /** Where relative paths (targets file, suites, expectations, reports) start. */
  readonly cwd: string
  readonly env: Readonly<Record<string, string | undefined>>
  /** `reference` (the built-in server), a name from `targetsFile`, an issuer URL, or a config. */
  readonly target: string | TargetConfig
  /** Absolute path of the targets file (read only for a target given by name). */
  readonly targetsFile: string
  /** Reference-server faults; never set for another target (checked here, once). */
  readonly faults: readonly string[]
  /** Reference-server policy overrides (reference target only). */
  readonly referenceConfig?: Readonly<Record<string, unknown>>
  /** Scenario files, folders or globs; default the package's suites/. */
  readonly suite: readonly string[]
  readonly grep?: string
  readonly tags?: readonly string[]
  readonly shard?: Shard
  /** Scenarios in flight; undefined: the target's limits.concurrency (schedule.ts). */
  readonly workers?: number
  readonly timeoutMs: number
  /** Seed of the execution order: given, or drawn here so every part of the run sees one. */
  readonly seed: number
  readonly bail: boolean
  /** Absolute path of an explicit expectations file (default: the target's own). */
  readonly expectations?: string
  /** Reporter specs (`console`, `json=out.json`) or reporter objects. */
  readonly reporters: readonly (string | Reporter)[]
  /** No console output (file reports are still written). */
  readonly quiet: boolean
  /** Where stream reporters write. */
  readonly stream: NodeJS.WritableStream
  readonly loginDriver: LoginDriver
  /** Log in once and start later scenarios from that session (browser/session-store.ts). */
  readonly sessionReuse: boolean
  readonly headed: boolean
  readonly trace: boolean
  /** Default: .dcr-conformance/artifacts/<run id> (run-context.ts). */
  readonly artifactsDir?: string
}

/** What a caller may give: any part of the configuration, a shard also as `I/N` text. */
export type RunRequest = Partial<Omit<RunConfig, 'shard'>> & { shard?: Shard | string }

/** Validates a request and fills in the defaults; throws UsageError (exit 2), sends nothing. */
export function runConfig(request: RunRequest = {}): RunConfig {
  const cwd = request.cwd ?? process.cwd()
  const target = request.target ?? REFERENCE_TARGET
  const faults = request.faults ?? []
  // The one place of this rule: faults are injected by the built-in server only.
  if (faults.length > 0 && target !== REFERENCE_TARGET) {
    throw new UsageError('--fault works only with the built-in reference target')
  }
  const loginDriver = choiceOption('--login-driver', request.loginDriver, LOGIN_DRIVERS, 'auto')
  const shard = typeof request.shard === 'string' ? parseShard(request.shard) : request.shard
  return Object.freeze({
    cwd,
    env: request.env ?? process.env,
    target,
    targetsFile: resolve(cwd, request.targetsFile ?? 'targets.yaml'),
    faults: Object.freeze([...faults]),
    referenceConfig: request.referenceConfig,
    suite: Object.freeze(suitePatterns(request.suite, cwd)),
    grep: request.grep,
    tags: request.tags && Object.freeze([...request.tags]),
    shard: shard && Object.freeze({ ...shard }),
    workers: request.workers || undefined,
    timeoutMs: request.timeoutMs || DEFAULT_SCENARIO_TIMEOUT_MS,
    seed: request.seed ?? randomSeed(),
    bail: request.bail === true,
    expectations: request.expectations ? resolve(cwd, request.expectations) : undefined,
    reporters: Object.freeze([...(request.reporters ?? [])]),
    quiet: request.quiet === true,
    stream: request.stream ?? process.stdout,
    loginDriver,
    sessionReuse: request.sessionReuse !== false,
    headed: request.headed === true,
    trace: request.trace === true,
    // Relative to the run's folder, as --suite and the report paths are.
    artifactsDir: request.artifactsDir && resolve(cwd, request.artifactsDir),
  })
}

/** The run's artifacts folder. */
export function artifactsDirOf(config: RunConfig, runId: string): string {
  return config.artifactsDir ?? join('.dcr-conformance', 'artifacts', runId)
}

function suitePatterns(suite: readonly string[] | undefined, cwd: string): string[] {
  return suite?.length
    ? suite.map((pattern) => packageSuitePattern(pattern, cwd))
    : [defaultSuitesFolder()]
}
