/**
 * A report, always (issue 10, item 5): when a run cannot start or stops outside the scenario loop
 * (discovery failed, the IAT preflight failed, Ctrl-C during discovery, a harness fault), every
 * requested reporter still gets a report, `errored` or `interrupted`, with the reason, and every
 * planned scenario listed as not run. CI then has its JUnit file to show.
 */
import { createRedactor } from '../redact.ts'
import type { LoadedScenario } from '../scenario/load.ts'
import type { TargetConfig } from '../model/target.ts'
import type { ScenarioResult } from '../model/result.ts'
import type { Report, ShardOfPlan } from '../model/report.ts'
import type { Reporter } from '../model/reporter.ts'
import { countOutcomes } from '../verdicts/run-status.ts'
import { redactingReporters } from '../../reporters/redacting.ts'
import { requirementVerdicts, type CatalogRow } from '../verdicts/requirements.ts'
import { randomSeed } from './random.ts'
import { TOOL } from './run-report.ts'
import { learnTargetSecrets } from './secrets.ts'
import { skipped } from './skipped.ts'
import { capText } from '../http/cap.ts'

/** Reporters that remember which lifecycle events they were given. */
export interface TrackedReporters {
  reporters: Reporter[]
  started(): boolean
  ended(): boolean
}

/** Wraps reporters so the run knows whether the report was already handed out. */
export function trackReporters(reporters: readonly Reporter[]): TrackedReporters {
  let started = false
  let ended = false
  const tracked = reporters.map(
    (reporter): Reporter => ({
      onRunStart: (info) => {
        started = true
        return reporter.onRunStart?.(info)
      },
      onScenarioStart: (scenario) => reporter.onScenarioStart?.(scenario),
      onScenarioEnd: (result) => reporter.onScenarioEnd?.(result),
      onNotice: (message) => reporter.onNotice?.(message),
      onRunEnd: (report) => {
        // Marked before the call: a reporter that fails is not handed the report twice.
        ended = true
        return reporter.onRunEnd(report)
      },
    }),
  )
  return { reporters: tracked, started: () => started, ended: () => ended }
}

export interface UnfinishedRun {
  /** The raw reporters (redaction is applied here). */
  reporters: TrackedReporters
  /** The target as configured (its secrets are learned for redaction); undefined: reference. */
  target: Pick<TargetConfig, 'name' | 'issuer' | 'registration' | 'login' | 'data'> | undefined
  scenarios: readonly LoadedScenario[]
  status: 'errored' | 'interrupted'
  reason: string
  startedAt: Date
  seed?: number
  shard?: ShardOfPlan
  catalog?: ReadonlyMap<string, CatalogRow>
}

/** Builds the report of a run that did not finish and hands it to every reporter (redacted). */
export async function reportUnfinishedRun(run: UnfinishedRun): Promise<Report> {
  const redactor = createRedactor()
  if (run.target) learnTargetSecrets(run.target, redactor)
  const reporters = redactingReporters(run.reporters.reporters, redactor)
  const target = { name: run.target?.name ?? 'reference', issuer: run.target?.issuer ?? '' }
  const seed = run.seed ?? randomSeed()
  const reason = capText(run.reason.replace(/\s+/g, ' '), 2_000)
  if (!run.reporters.started()) {
    const info = {
      target,
      seed,
      planned: run.scenarios.length,
      startedAt: run.startedAt.toISOString(),
    }
    for (const reporter of reporters) await reporter.onRunStart?.(info)
  }
  const scenarios = run.scenarios.map((loaded) => notRun(loaded, reason))
  const report: Report = {
    schemaVersion: 1,
    tool: TOOL,
    target,
    startedAt: run.startedAt.toISOString(),
    durationMs: Math.max(0, Math.round(Date.now() - run.startedAt.getTime())),
    seed,
    status: run.status,
    reason,
    ...(run.shard ? { shard: run.shard } : {}),
    counts: countOutcomes(scenarios),
    scenarios,
    requirements: requirementVerdicts(scenarios, run.catalog),
    rootCauses: [],
  }
  for (const reporter of reporters) {
    // One reporter failing (a full disk) does not keep the others from writing theirs.
    await Promise.resolve(reporter.onRunEnd(report)).catch(() => undefined)
  }
  return report
}

function notRun(loaded: LoadedScenario, reason: string): ScenarioResult {
  return { ...skipped(loaded, `not run: ${reason}`), notRun: true }
}
