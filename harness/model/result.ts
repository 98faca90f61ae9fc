/**
 * Results: what actions, checks, steps and scenarios produce during a run.
 */
import type { ActionName, Level } from './scenario.ts'

/**
 * Outcome of a step or scenario (docs/verdicts.md). `inconclusive`: a precondition (a check that
 * names no requirement) did not hold, so what the scenario is about could not be tested.
 */
export type Outcome = 'passed' | 'failed' | 'warned' | 'inconclusive' | 'skipped' | 'errored'

/** What an action returns for later steps and for checks (`steps.<id>.…`). */
export interface StepData {
  status?: number
  /** Lower-cased header names. */
  headers?: Record<string, string>
  body?: unknown
  /** Query (and fragment) parameters of a captured redirect. */
  query?: Record<string, string>
  [key: string]: unknown
}

/** A recorded HTTP request/response pair (redacted before reporters see it). */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: string }
  response?: {
    status: number
    headers: Record<string, string>
    body?: string
    truncated?: boolean
  }
  error?: string
  durationMs: number
  /**
   * The HTTP client met 429 (http/rate-limit.ts): how often it sent the request again and how
   * long it waited. With a final 429 status, the retries were used up (0: the wait asked for was
   * too long); verdicts/rate-limited.ts reads that.
   */
  rateLimited?: { retries: number; waitedMs: number }
  /** The request carried the run's registration credentials (HttpRequest.runCredentials). */
  runCredentials?: true
}

export interface Artifact {
  name: string
  path: string
  contentType: string
}

/**
 * One check. With `requirement` it is a verdict on that requirement; without, a precondition.
 * `notApplicable` (with `ok: true`) says why the check did not apply (a `when_present` feature
 * was absent); `excused` carries the reason of the expectation that excuses its failure.
 */
export interface CheckResult {
  name: string
  level: Level
  ok: boolean
  requirement?: string
  /** Preconditions: the requirement an answer failing this check violates. */
  violates?: string
  notApplicable?: string
  excused?: string
  message?: string
  expected?: unknown
  actual?: unknown
}

export interface StepResult {
  id: string
  title?: string
  action: ActionName
  outcome: Outcome
  durationMs: number
  checks: CheckResult[]
  exchanges: Exchange[]
  artifacts: Artifact[]
  /** Set when outcome is `errored` or `skipped`. */
  message?: string
  /** The line of the step in its scenario file (annotations, failure text). */
  line?: number
  /** `authorize` steps: which login driver ran the step. */
  driver?: 'browser' | 'http'
  /**
   * `authorize` steps: true when the step started from the run's stored login session (another
   * scenario's login) and did not log in itself; false when it logged in or had no session.
   */
  sessionReused?: boolean
}

export interface ScenarioResult {
  id: string
  title: string
  file: string
  requirements: string[]
  tags: string[]
  outcome: Outcome
  durationMs: number
  /** Why the scenario was skipped, errored or inconclusive. */
  message?: string
  /** For an inconclusive scenario: the precondition that did not hold (docs/verdicts.md). */
  blocker?: Blocker
  /**
   * The run ended before this scenario ran or finished (interrupted, `--bail`, or the run could
   * not start): it is `skipped`, and its requirements are untested, never not-applicable.
   */
  notRun?: true
  steps: StepResult[]
}

/**
 * Where an inconclusive scenario stopped: the step, its action, what came back, and the
 * requirement that answer itself violates when the catalog has one. Scenarios with the same
 * `cause` share one root cause.
 */
export interface Blocker {
  step: string
  action: ActionName
  /** What the step got instead of what the next step needs, e.g. `status: expected 2xx, got 400`. */
  answer: string
  /** Grouping key: the action and the unexpected answer. */
  cause: string
  violates?: string
}
