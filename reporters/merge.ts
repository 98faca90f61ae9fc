/**
 * `dcr-conformance merge REPORT.json... [--reporter NAME[=PATH]]...`: one report from the JSON
 * reports of sharded runs (`--shard I/N`) against the same target.
 */
import { readFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { HarnessError, UsageError } from '../harness/errors.ts'
import { parseCommand } from '../harness/config/args.ts'
import { createRedactor } from '../harness/redact.ts'
import type { Report } from '../harness/model/report.ts'
import type { Reporter, RunInfo } from '../harness/model/reporter.ts'
import { requirementVerdicts } from '../harness/verdicts/requirements.ts'
import { rootCauses } from '../harness/verdicts/root-causes.ts'
import { withAbsolutePaths } from './artifact-paths.ts'
import { createReporters } from './index.ts'
import { catalogOf, mergeExpectations } from './merge-parts.ts'
import { checkMergeable } from './merge-shards.ts'
import { redactingReporters } from './redacting.ts'
import {
  countOutcomes,
  exitCodeForStatus,
  nothingJudgedReason,
  statusOf,
} from '../harness/verdicts/run-status.ts'
import { validateReport } from './validate.ts'

/**
 * Merge sharded reports: same target, every shard of one plan (merge-shards.ts); scenarios concatenated and sorted by id; counts, status,
 * requirement verdicts and root causes recomputed over all of them (a shard's own `errored`
 * status is kept, it may come from outside any scenario; a shard's `failed` is not, since an
 * expectation stale in one shard may be met in another); `startedAt` the earliest; `durationMs`
 * the span from the earliest start to the latest end.
 */
export function mergeReports(reports: readonly Report[]): Report {
  checkMergeable(reports)
  const first = reports[0]!
  const scenarios = reports
    .flatMap((report) => report.scenarios)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  for (let i = 1; i < scenarios.length; i++) {
    if (scenarios[i]?.id === scenarios[i - 1]?.id) {
      throw new UsageError(
        `merge: scenario ${scenarios[i]?.id} appears in more than one report (overlapping shards?)`,
      )
    }
  }
  const starts = reports.map((report) => Date.parse(report.startedAt))
  const start = Math.min(...starts)
  const end = Math.max(...reports.map((report, i) => (starts[i] ?? start) + report.durationMs))
  const startedAt = reports[starts.indexOf(start)]?.startedAt ?? first.startedAt
  const expectations = mergeExpectations(reports)
  const shardErrored = reports.some((report) => report.status === 'errored')
  // An interrupted shard did not run all its scenarios: the merged run is interrupted.
  const shardInterrupted = reports.some((report) => report.status === 'interrupted')
  const status = shardInterrupted
    ? 'interrupted'
    : shardErrored
      ? 'errored'
      : statusOf(scenarios, expectations ?? [])
  const shardReasons = reports.flatMap((report) => (report.reason ? [report.reason] : []))
  // The shards are judged as one run: one that judged nothing there says so (run-status.ts).
  const judged = shardErrored ? undefined : nothingJudgedReason(scenarios, status)
  const reasons = [...new Set([...shardReasons, ...(judged ? [judged] : [])])]
  const caveats = [...new Set(reports.flatMap((report) => report.caveats ?? []))]
  const notices = [...new Set(reports.flatMap((report) => report.notices ?? []))]
  const seeds = new Set(reports.map((report) => report.seed))
  if (seeds.size > 1) notices.push(`merged reports used different seeds: ${[...seeds].join(', ')}`)
  const leftovers = reports.flatMap((report) => report.leftovers ?? [])
  return {
    schemaVersion: 1,
    tool: first.tool,
    target: first.target,
    startedAt,
    durationMs: Math.max(0, end - start),
    seed: first.seed,
    status,
    ...(reasons.length > 0 ? { reason: reasons.join('; ') } : {}),
    counts: countOutcomes(scenarios),
    scenarios,
    requirements: requirementVerdicts(scenarios, catalogOf(reports)),
    rootCauses: rootCauses(scenarios),
    ...(expectations ? { expectations } : {}),
    ...(caveats.length > 0 ? { caveats } : {}),
    ...(leftovers.length > 0 ? { leftovers } : {}),
    ...(notices.length > 0 ? { notices } : {}),
  }
}

/** What a reporter is told at the start of a run that is already over (a merged report). */
export function runInfoOf(report: Report): RunInfo {
  return {
    target: report.target,
    seed: report.seed,
    planned: report.scenarios.length,
    startedAt: report.startedAt,
    scenarios: report.scenarios.map((scenario) => scenario.id),
  }
}

export interface MergeCommandIo {
  stdout?: NodeJS.WritableStream
  stderr?: NodeJS.WritableStream
  cwd?: string
  env?: Record<string, string | undefined>
}

const usage = `usage: dcr-conformance merge REPORT.json... [--reporter NAME[=PATH]]...
Merges JSON reports of sharded runs against one target and reports the result
(reporters: console (default), json, junit, html, markdown).`

/** Read and validate one report file; errors name the file. */
export async function readReportFile(file: string, cwd = process.cwd()): Promise<Report> {
  let text: string
  try {
    text = await readFile(resolve(cwd, file), 'utf8')
  } catch (error) {
    throw new UsageError(`${file}: cannot read: ${(error as Error).message}`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new UsageError(`${file}: not valid JSON: ${(error as Error).message}`)
  }
  const errors = validateReport(value)
  if (errors.length > 0) {
    const listed = errors.slice(0, 10).map((error) => `\n  ${error}`)
    throw new UsageError(
      `${file}: not a dcr-conformance report (schemaVersion 1):${listed.join('')}`,
    )
  }
  // Artifact paths are relative to the report file; the merged reports make them relative again.
  return withAbsolutePaths(value as Report, dirname(resolve(cwd, file)))
}

const MERGE_OPTIONS = {
  reporter: { type: 'string', short: 'r', multiple: true },
} as const

/** The `merge` subcommand. Exit code: 0 passed, 1 failed, 3 errored, 2 bad input. */
export async function mergeCommand(
  argv: readonly string[],
  io: MergeCommandIo = {},
): Promise<number> {
  const stdout = io.stdout ?? process.stdout
  const stderr = io.stderr ?? process.stderr
  const cwd = io.cwd ?? process.cwd()
  try {
    const help = { command: 'merge', usage, stdout, operands: true }
    const parsed = parseCommand([...argv], MERGE_OPTIONS, help)
    if (!parsed) return 0
    const { values, positionals: files } = parsed
    const specs = values.reporter ?? []
    if (files.length === 0) throw new UsageError('merge: give at least one REPORT.json')
    const reporters: Reporter[] = createReporters(specs, {
      stream: stdout,
      cwd,
      ...(io.env ? { env: io.env } : {}),
    })
    const reports: Report[] = []
    for (const file of files) reports.push(await readReportFile(file, cwd))
    const merged = mergeReports(reports)
    // Reports on disk should be redacted already; redact again so merge never leaks what a
    // hand-edited or foreign report carries.
    const redacted = redactingReporters(reporters, createRedactor())
    for (const reporter of redacted) {
      await reporter.onRunStart?.(runInfoOf(merged))
    }
    for (const scenario of merged.scenarios) {
      for (const reporter of redacted) await reporter.onScenarioEnd?.(scenario)
    }
    for (const reporter of redacted) await reporter.onRunEnd(merged)
    return exitCodeForStatus(merged.status)
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'E_USAGE') {
      stderr.write(`error: ${error.message}\n`)
      return 2
    }
    throw error
  }
}
