/**
 * The suite benchmarks, each a pair of process runs repeated and interleaved (a, b, a, b, ...):
 * browser against HTTP-form driver, start-up against bare node, the harness against a raw replay
 * of its own exchanges, and 1x against 4x the suite. bin/dcr-conformance.js is measured as it is.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report } from '../harness/model/report.ts'
import { timedRun } from './processes.ts'
import { scaledSuites } from './scaled-suite.ts'
import { pairedRatios, spread, type Spread } from './stats.ts'

const BIN = 'bin/dcr-conformance.js'
/** The suites with no browser in them (their logins use the HTTP-form driver here). */
export const HTTP_SUITES = [
  'registration',
  'metadata-validation',
  'errors',
  'initial-access-token',
  'client-management',
]

export interface Pair {
  name: string
  a: Spread
  b: Spread
  ratio: Spread
  unit: 'ms'
  note?: string
}

interface HarnessRun {
  wallMs: number
  report: Report
  reportFile: string
}

let scratch: string | undefined
async function scratchDir(): Promise<string> {
  scratch ??= await mkdtemp(join(tmpdir(), 'dcr-bench-'))
  return scratch
}

export async function cleanScratch(): Promise<void> {
  if (scratch) await rm(scratch, { recursive: true, force: true })
}

let runCount = 0
/** One harness run with a JSON report; a run that does not pass is a bench error. */
async function harness(args: string[], env: Record<string, string> = {}): Promise<HarnessRun> {
  const reportFile = join(await scratchDir(), `report-${++runCount}.json`)
  const argv = [BIN, ...args, '--reporter', `json=${reportFile}`]
  const run = await timedRun(process.execPath, argv, env)
  if (run.code !== 0) {
    const tail = `${run.stdout.slice(-2000)}${run.stderr.slice(-2000)}`
    throw new Error(`${args.join(' ')}: exit ${run.code}\n${tail}`)
  }
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report
  return { wallMs: run.wallMs, report, reportFile }
}

export async function pairs(
  runs: number,
  a: () => Promise<number>,
  b: () => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const result = { a: [] as number[], b: [] as number[] }
  for (let i = 0; i < runs; i++) {
    result.a.push(await a())
    result.b.push(await b())
  }
  return result
}

export function pair(name: string, values: { a: number[]; b: number[] }, note?: string): Pair {
  return {
    name,
    a: spread(values.a),
    b: spread(values.b),
    ratio: pairedRatios(values.a, values.b),
    unit: 'ms',
    ...(note ? { note } : {}),
  }
}

/** (a) The full default suite with real Chromium against the HTTP-form login driver (wall). */
export async function browserVsHttp(runs: number): Promise<Pair> {
  const values = await pairs(
    runs,
    async () => (await harness(['--login-driver', 'browser'])).wallMs,
    async () => (await harness(['--login-driver', 'http'])).wallMs,
  )
  return pair('browser / HTTP driver (full suite, wall)', values)
}

/** (b) `--help` against `node -e 0`, and `--version`, from spawn to exit. */
export async function startup(runs: number): Promise<Pair[]> {
  const wall = async (args: string[]) => (await timedRun(process.execPath, args)).wallMs
  const help = await pairs(runs, () => wall([BIN, '--help']), () => wall(['-e', '0']))
  const version = await pairs(runs, () => wall([BIN, '--version']), () => wall(['-e', '0']))
  return [pair('--help / node -e 0', help), pair('--version / node -e 0', version)]
}

/**
 * (b) How long after spawn the first request of a one-scenario run reaches the reference server
 * (its request log, DCR_REFERENCE_LOG=requests), against `node -e 0`.
 */
export async function firstRequest(runs: number, grep: string): Promise<Pair> {
  const one = async () => {
    const spawned = Date.now()
    const run = await timedRun(process.execPath, [BIN, '--grep', grep, '--login-driver', 'http'], {
      DCR_REFERENCE_LOG: 'requests',
    })
    const line = run.stderr.split('\n').find((l) => l.includes('"event":"request"'))
    if (!line) throw new Error(`no request logged by the one-scenario run (exit ${run.code})`)
    return Date.parse((JSON.parse(line) as { time: string }).time) - spawned
  }
  const bare = async () => (await timedRun(process.execPath, ['-e', '0'])).wallMs
  return pair(`first request of --grep ${grep} / node -e 0`, await pairs(runs, one, bare))
}

/** (c) The harness's run time (report durationMs) against a raw undici replay of its exchanges. */
export async function harnessVsReplay(runs: number): Promise<Pair> {
  const workers = String(availableParallelism())
  const agreement: string[] = []
  const values = { a: [] as number[], b: [] as number[] }
  for (let i = 0; i < runs; i++) {
    const run = await harness(httpSuiteRun(workers))
    values.a.push(run.report.durationMs)
    const replay = await replayRounds(run.reportFile, workers, 1)
    values.b.push(replay.durationMs)
    agreement.push(`${replay.sameStatus}/${replay.requests}`)
  }
  const note = `${workers} lanes; replayed requests answered as recorded: ${agreement.join(', ')}`
  return pair('harness / raw replay (HTTP-only suites)', values, note)
}

/** Runs per process of the warm pair; the median of the last WARM_MEASURED is taken. */
const WARM_ROUNDS = 5
const WARM_MEASURED = 3
const warmMedian = (rounds: number[]) => spread(rounds.slice(-WARM_MEASURED)).median

/**
 * (c') The same pair warm: each side runs 5 times in one process (bench/warm-harness.js,
 * replay.ts's rounds), and the median of runs 3-5 counts: code V8 has optimised by then. Not a
 * goal: set beside (c), it shows how much of the harness's overhead is its cold start rather
 * than its work per request.
 */
export async function harnessVsReplayWarm(runs: number): Promise<Pair> {
  const workers = String(availableParallelism())
  const values = { a: [] as number[], b: [] as number[] }
  for (let i = 0; i < runs; i++) {
    const prefix = join(await scratchDir(), `warm-${++runCount}`)
    const warm = ['bench/warm-harness.js', `${WARM_ROUNDS}`, prefix, ...httpSuiteRun(workers)]
    const run = await timedRun(process.execPath, warm)
    if (run.code !== 0) throw new Error(`warm harness failed: ${run.stderr.slice(-2000)}`)
    const harnessRounds = (JSON.parse(lastLine(run.stdout)) as { rounds: number[] }).rounds
    values.a.push(warmMedian(harnessRounds))
    const replay = await replayRounds(`${prefix}-1.json`, workers, WARM_ROUNDS)
    values.b.push(warmMedian(replay.rounds))
  }
  const measured = `runs ${WARM_ROUNDS - WARM_MEASURED + 1}-${WARM_ROUNDS}`
  const note = `${WARM_ROUNDS} runs per process, the median of ${measured} taken; not a goal`
  return pair(`harness / raw replay, warm (${measured} of one process)`, values, note)
}

/** The CLI arguments of a run of the HTTP-only suites (HTTP-form logins) with `workers` lanes. */
const httpSuiteRun = (workers: string) => [
  ...HTTP_SUITES.flatMap((suite) => ['--suite', `suites/${suite}`]),
  ...['--login-driver', 'http', '--workers', workers],
]

interface ReplayResult {
  durationMs: number
  requests: number
  sameStatus: number
  rounds: number[]
}

/** bench/replay.ts on a report: its first round's counts, and each round's duration. */
async function replayRounds(
  reportFile: string,
  lanes: string,
  rounds: number,
): Promise<ReplayResult> {
  const args = ['bin/run-ts.js', 'bench/replay.ts', reportFile, lanes, `${rounds}`]
  const replay = await timedRun(process.execPath, args)
  if (replay.code !== 0) throw new Error(`replay failed: ${replay.stderr.slice(-2000)}`)
  return JSON.parse(lastLine(replay.stdout)) as ReplayResult
}

const lastLine = (text: string) => text.trim().split('\n').at(-1)!

/** (d) The whole suite 4 times (renamed copies) against once, HTTP-form driver (wall). */
export async function scaling(runs: number): Promise<Pair> {
  const { one, four, scenarios } = await scaledSuites(await scratchDir())
  const values = await pairs(
    runs,
    async () => (await harness(['--suite', four, '--login-driver', 'http'])).wallMs,
    async () => (await harness(['--suite', one, '--login-driver', 'http'])).wallMs,
  )
  const a = spread(values.a).median
  const b = spread(values.b).median
  const perScenario = (a - b) / (3 * scenarios)
  const fixed = b - scenarios * perScenario
  const note =
    `${scenarios} and ${4 * scenarios} scenarios: ${fixed.toFixed(0)} ms + ` +
    `${perScenario.toFixed(1)} ms per scenario (medians); linear or better when the ratio is <= 4`
  return pair('4x / 1x the suite (wall)', values, note)
}
