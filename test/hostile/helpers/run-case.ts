/**
 * One case of the hostile matrix: the real CLI (cli-process.ts) against a hostile target, with a
 * JSON and a JUnit report requested, killed after a generous bound (a hang detector, not a speed
 * assertion: speed belongs to `npm run bench`). Returns what the matrix judges: exit code,
 * whether it had to be killed, peak memory, output, both reports as read back, and their sizes.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Report } from '../../../harness/model/report.ts'
import { startCli } from './cli-process.ts'
import type { HostileTarget } from './hostile-target.ts'

/** The child is killed after this long; a case that needs it is a hang. */
export const HANG_AFTER_MS = 90_000
/** A case's vitest timeout: the hang bound plus the servers' set-up and the reports' checks. */
export const CASE_TIMEOUT_MS = HANG_AFTER_MS + 30_000

export interface CaseResult {
  exit: number | null
  /** True when the child had to be killed (a hang). */
  killed: boolean
  /** Wall time of the child, for the measured summary only (never asserted). */
  seconds: number
  peakRssKib: number
  stdout: string
  stderr: string
  /** The parsed JSON report, or the error reading or parsing it. */
  report: Report | Error
  /** The JUnit report's text, or the error reading it. */
  junit: string | Error
  /** Sizes of the report files in bytes (absent when missing). */
  sizes: { json?: number; junit?: number }
}

async function readReport<T>(path: string, parse: (text: string) => T): Promise<T | Error> {
  try {
    return parse(await readFile(path, 'utf8'))
  } catch (error) {
    return error as Error
  }
}

async function sizeOf(path: string): Promise<number | undefined> {
  return stat(path).then((info) => info.size, () => undefined)
}

/** Runs the CLI against `target` with `args` (selection, driver) and both file reports. */
export async function runCase(target: HostileTarget, args: string[]): Promise<CaseResult> {
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-hostile-run-'))
  const jsonPath = join(dir, 'report.json')
  const junitPath = join(dir, 'report.xml')
  const cli = startCli([
    '--target', target.name,
    '--targets', target.targetsFile,
    '--reporter', 'console',
    '--reporter', `json=${jsonPath}`,
    '--reporter', `junit=${junitPath}`,
    ...args,
  ])
  const started = performance.now()
  let killed = false
  const hang = setTimeout(() => {
    killed = true
    cli.child.kill('SIGKILL')
  }, HANG_AFTER_MS)
  const exit = await cli.exited.finally(() => clearTimeout(hang))
  const result: CaseResult = {
    exit,
    killed,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    peakRssKib: cli.peakRssKib(),
    stdout: cli.stdout(),
    stderr: cli.stderr(),
    report: await readReport(jsonPath, (text) => JSON.parse(text) as Report),
    junit: await readReport(junitPath, (text) => text),
    sizes: { json: await sizeOf(jsonPath), junit: await sizeOf(junitPath) },
  }
  await rm(dir, { recursive: true, force: true })
  return result
}
