/**
 * The report: requirement verdicts, root causes, counts and the JSON report itself
 * (schema: reporters/report.schema.json; the JSON report is a contract, change it with care).
 */
import type { ScenarioResult } from './result.ts'
import type { ActionName, Level } from './scenario.ts'

/** One root cause of inconclusive scenarios: one server behaviour that blocked them all. */
export interface RootCause {
  cause: string
  action: ActionName
  answer: string
  violates?: string
  scenarios: string[]
}

/** The verdict on one requirement (docs/verdicts.md). */
export type RequirementVerdictName =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'inconclusive'
  | 'not-applicable'
  | 'untested'

/** A requirement's verdict with the scenarios and checks behind it. */
export interface RequirementVerdict {
  id: string
  title?: string
  level?: Level
  /** Where the requirement is written (`RFC 7591 §3.2.1`) and a link to that section. */
  source?: string
  url?: string
  verdict: RequirementVerdictName
  /** Every failure behind a `fail`/`warn` verdict is excused by the expectations file. */
  excused?: boolean
  scenarios: string[]
  checks: { scenario: string; step: string; check: string; ok: boolean; notApplicable?: boolean }[]
}

/**
 * A known deviation (expectations file) and what became of it in the run: `met` it excused at
 * least one failure, `stale` what it excuses was tested and holds now, `unused` not tested.
 */
export interface ExpectationOutcome {
  requirement: string
  scenario?: string
  check?: string
  reason: string
  state: 'met' | 'stale' | 'unused'
}

export interface ReportCounts {
  total: number
  passed: number
  failed: number
  warned: number
  inconclusive: number
  skipped: number
  errored: number
}

/** Which shard of which plan a sharded run was (`--shard I/N`); `plan` hashes the whole plan. */
export interface ShardOfPlan {
  index: number
  total: number
  plan: string
}

/** The JSON report, `schemaVersion: 1` (schema in reporters/report.schema.json). */
export interface Report {
  schemaVersion: 1
  tool: { name: string; version: string }
  target: { name: string; issuer: string }
  startedAt: string
  durationMs: number
  seed: number
  /**
   * `errored` also when the run could not start (discovery failed, a harness fault);
   * `interrupted` when SIGINT/SIGTERM stopped it. Both exit 3.
   */
  status: 'passed' | 'failed' | 'errored' | 'interrupted'
  /** Why the run is `errored` or `interrupted` when no scenario says it (one line). */
  reason?: string
  /** Set on the report of a sharded run (never on a merged one). */
  shard?: ShardOfPlan
  counts: ReportCounts
  scenarios: ScenarioResult[]
  /** The verdict per requirement the run touched. */
  requirements: RequirementVerdict[]
  /** Inconclusive scenarios grouped by root cause, largest first. */
  rootCauses: RootCause[]
  /** The expectations file's entries and what became of them. */
  expectations?: ExpectationOutcome[]
  /** Facts the verdicts do not cover (e.g. transport security on a plain-http target). */
  caveats?: string[]
  /** Clients the run registered and could not delete. */
  leftovers?: { client_id: string; reason: string }[]
  /** Run-level notices (insecure TLS, browser fallback, ...). */
  notices?: string[]
}
