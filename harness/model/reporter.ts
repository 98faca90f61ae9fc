/**
 * The reporter lifecycle (events are redacted before a reporter sees them: reporters/redacting.ts).
 */
import type { Report } from './report.ts'
import type { ScenarioResult } from './result.ts'

export interface RunInfo {
  target: { name: string; issuer: string }
  seed: number
  planned: number
  startedAt: string
  /** The ids of the planned scenarios (the console groups its non-TTY output by folder). */
  scenarios?: string[]
}

export interface Reporter {
  onRunStart?(info: RunInfo): void | Promise<void>
  onScenarioStart?(scenario: { id: string; title: string }): void | Promise<void>
  onScenarioEnd?(result: ScenarioResult): void | Promise<void>
  onNotice?(message: string): void | Promise<void>
  onRunEnd(report: Report): void | Promise<void>
}
