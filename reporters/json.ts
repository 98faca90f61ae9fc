/**
 * The JSON reporter: the Report exactly as harness/model/report.ts defines it (`schemaVersion: 1`), validated
 * by reporters/report.schema.json. Written at run end to a file or to a stream; artifact paths
 * relative to the file's folder, so a report uploaded with its artifacts keeps working.
 */
import type { Report } from '../harness/model/report.ts'
import type { Reporter } from '../harness/model/reporter.ts'
import { reportBase, withPortablePaths } from './artifact-paths.ts'
import { createOutputReporter, type OutputOptions } from './output.ts'

export type JsonReporterOptions = OutputOptions

/** The report as JSON text (2-space indent, trailing newline). Member order follows harness/model/report.ts. */
export function serializeReport(report: Report): string {
  const ordered: Report = {
    schemaVersion: report.schemaVersion,
    tool: report.tool,
    target: report.target,
    startedAt: report.startedAt,
    durationMs: report.durationMs,
    seed: report.seed,
    status: report.status,
    ...(report.reason ? { reason: report.reason } : {}),
    ...(report.shard ? { shard: report.shard } : {}),
    counts: report.counts,
    scenarios: report.scenarios,
    requirements: report.requirements,
    rootCauses: report.rootCauses,
    ...(report.expectations ? { expectations: report.expectations } : {}),
    ...(report.caveats ? { caveats: report.caveats } : {}),
    ...(report.leftovers ? { leftovers: report.leftovers } : {}),
    ...(report.notices ? { notices: report.notices } : {}),
  }
  // BigInts are not JSON; anything else odd was already made plain by the redactor.
  const replacer = (_key: string, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : value
  return `${JSON.stringify(ordered, replacer, 2)}\n`
}

/** Artifact paths in the file are relative to its folder (the stream: the working directory). */
export function createJsonReporter(options: JsonReporterOptions = {}): Reporter {
  const baseDir = reportBase(options.path)
  return createOutputReporter(options, (report) =>
    serializeReport(withPortablePaths(report, baseDir)),
  )
}
