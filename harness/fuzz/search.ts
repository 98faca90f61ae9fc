/**
 * The search: fast-check generates cases from the seed and, on a failure, shrinks the case to a
 * minimal one that still fails the same property. Each round looks for one new finding (the
 * properties already found are ignored), until the runs or the time budget are spent.
 *
 * Cases run one at a time: far below any target's `limits.concurrency`, and the order of requests
 * (so a replay with `--seed`) does not depend on timing.
 */
import fc from 'fast-check'
import type { FuzzCase } from './case.ts'
import type { CaseRun } from './execute.ts'

export interface SearchOptions {
  arbitrary: fc.Arbitrary<FuzzCase>
  seed: number
  runs: number
  timeBudgetMs: number
  /** Findings after which the search stops. */
  maxFindings: number
  runCase(fuzzCase: FuzzCase): Promise<CaseRun>
  signal?: AbortSignal
}

export interface RawFinding {
  /** The property that failed (oracle.ts ids). */
  property: string
  /** The minimal case, and its run. */
  fuzzCase: FuzzCase
  run: CaseRun
  /** The round's fast-check seed and the run (1-based) that first failed. */
  roundSeed: number
  foundAtRun: number
  shrinks: number
}

export interface SearchResult {
  findings: RawFinding[]
  /** Cases generated (shrinking steps not counted) and shrinking steps. */
  runs: number
  shrinks: number
  stoppedBy: 'runs' | 'time' | 'interrupt' | 'setup' | 'findings'
  setupProblem?: string
}

/** The seed of round `round`: the user's seed first, then derived ones (deterministic). */
export function roundSeed(seed: number, round: number): number {
  return round === 0 ? seed | 0 : (seed + Math.imul(round, 0x9e3779b9)) | 0
}

export async function search(options: SearchOptions): Promise<SearchResult> {
  const deadline = Date.now() + options.timeBudgetMs
  const findings: RawFinding[] = []
  let runs = 0
  let shrinks = 0
  let setupProblem: string | undefined
  for (let round = 0; ; round++) {
    if (options.signal?.aborted) return done('interrupt')
    if (findings.length >= options.maxFindings) return done('findings')
    if (runs >= options.runs) return done('runs')
    const left = deadline - Date.now()
    if (left <= 0) return done('time')
    const seed = roundSeed(options.seed, round)
    const outcome = await searchRound(options, seed, options.runs - runs, left, findings)
    runs += outcome.runs
    shrinks += outcome.finding?.shrinks ?? 0
    if (outcome.finding) findings.push(outcome.finding)
    // An interrupt errors the case it cut short: that is no set-up problem of the target.
    if (options.signal?.aborted) return done('interrupt')
    setupProblem ??= outcome.setupProblem
    if (setupProblem) return done('setup')
    if (!outcome.finding) return done(outcome.interrupted ? 'time' : 'runs')
  }

  function done(stoppedBy: SearchResult['stoppedBy']): SearchResult {
    return { findings, runs, shrinks, stoppedBy, ...(setupProblem ? { setupProblem } : {}) }
  }
}

interface RoundOutcome {
  runs: number
  interrupted: boolean
  finding?: RawFinding
  setupProblem?: string
}

/** One fast-check run: the first new failing property is locked, and shrinking keeps to it. */
async function searchRound(
  options: SearchOptions,
  seed: number,
  runs: number,
  timeMs: number,
  known: RawFinding[],
): Promise<RoundOutcome> {
  const found = new Set(known.map((finding) => finding.property))
  let locked: string | undefined
  let latest: { fuzzCase: FuzzCase; run: CaseRun } | undefined
  let setupProblem: string | undefined
  let inflight: Promise<unknown> = Promise.resolve()
  /** Generated cases sent (shrinking steps come after the lock, and are not counted). */
  let sent = 0
  const predicate = async (fuzzCase: FuzzCase): Promise<boolean> => {
    // After a set-up problem or an interrupt the remaining runs pass at once: nothing is sent.
    if (setupProblem !== undefined || options.signal?.aborted) return true
    if (locked === undefined) sent++
    const pending = options.runCase(fuzzCase)
    inflight = pending.catch(() => undefined)
    const run = await pending
    if (options.signal?.aborted) return true
    if (run.setupProblem !== undefined) {
      setupProblem = run.setupProblem
      return true
    }
    const fresh = run.failed.filter((property) => !found.has(property))
    locked ??= fresh[0]
    if (locked === undefined || !fresh.includes(locked)) return true
    latest = { fuzzCase, run }
    return false
  }
  const details = await fc.check(fc.asyncProperty(options.arbitrary, predicate), {
    seed,
    numRuns: runs,
    plugins: [fc.interruptAfterTimeLimit(timeMs)],
  })
  // A predicate the time limit cut off still runs: let it finish before the ledger is used.
  await inflight
  const outcome: RoundOutcome = {
    runs: sent,
    interrupted: details.interrupted,
    ...(setupProblem !== undefined ? { setupProblem } : {}),
  }
  if (!details.failed || details.counterexample === null || !latest || locked === undefined) {
    return outcome
  }
  return {
    ...outcome,
    finding: {
      property: locked,
      fuzzCase: latest.fuzzCase,
      run: latest.run,
      roundSeed: seed,
      foundAtRun: details.numRuns,
      shrinks: details.numShrinks,
    },
  }
}
