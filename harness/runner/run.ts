/**
 * Runs planned scenarios against a resolved target, in three parts: setting up the run context
 * (run-context.ts: reporting behind the redactor, browser and IAT services), scheduling
 * (run-loop.ts: applicability, parallel scenarios within schedule.ts's limits, expectations) and
 * assembling the report (run-report.ts). Registered clients are deleted whatever happens.
 */
import type { ScenarioResult } from '../model/result.ts'
import type { Report } from '../model/report.ts'
import type { Leftover } from './ledger.ts'
import type { RunConfig } from './run-config.ts'
import { createRunContext, type RunInputs } from './run-context.ts'
import { runPlanned } from './run-loop.ts'
import { assembleReport } from './run-report.ts'

export async function runScenarios(config: RunConfig, inputs: RunInputs): Promise<Report> {
  const context = await createRunContext(config, inputs)
  let results: Map<string, ScenarioResult>
  let leftovers: Leftover[]
  try {
    results = await runPlanned(context)
  } finally {
    leftovers = await context.close()
  }
  await context.settled()
  const report = assembleReport(context, results, leftovers)
  await context.emit((r) => r.onRunEnd(report))
  return report
}
