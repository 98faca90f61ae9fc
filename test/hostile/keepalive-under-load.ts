/**
 * Measurement (not part of `npm test`: it takes minutes): full runs against the built-in target
 * with `--workers 16` while CPU hogs keep every core busy; counts errored scenarios per run.
 * Issue 10, item 6: keep-alive sockets must not be reset under a request, so the answer is 0.
 *
 *   node --import tsx test/hostile/keepalive-under-load.ts [--runs 10] [--hogs 2]
 *     [--login-driver http|browser|auto] [--workers 16] [--suite FOLDER]
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

// The CLI from the sources (as the tests run it), so a stale dist/ cannot skew the numbers.
const ENTRY = fileURLToPath(new URL('./helpers/cli-entry.ts', import.meta.url))

interface RunNumbers {
  run: number
  exit: number | null
  seconds: number
  counts?: Record<string, number>
  errored: string[]
}

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '10' },
    hogs: { type: 'string', default: '2' },
    workers: { type: 'string', default: '16' },
    'login-driver': { type: 'string', default: 'auto' },
    /** A suites folder (default the package's): a fixed copy keeps runs comparable. */
    suite: { type: 'string' },
  },
})

function startHog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' })
}

async function oneRun(run: number, dir: string): Promise<RunNumbers> {
  const report = join(dir, `run-${run}.json`)
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      ENTRY,
      '--workers',
      values.workers,
      '--login-driver',
      values['login-driver'],
      '--reporter',
      `json=${report}`,
      '--seed',
      String(run),
      ...(values.suite ? ['--suite', values.suite] : []),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  )
  const exit = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  const seconds = Math.round((performance.now() - started) / 100) / 10
  try {
    const parsed = JSON.parse(await readFile(report, 'utf8')) as {
      counts: Record<string, number>
      scenarios: {
        id: string
        outcome: string
        message?: string
        steps: { id: string; outcome: string; message?: string }[]
      }[]
    }
    const errored = parsed.scenarios
      .filter((s) => s.outcome === 'errored')
      .map((s) => {
        const step = s.steps.find((candidate) => candidate.outcome === 'errored')
        const why = s.message ?? (step ? `${step.id}: ${step.message ?? ''}` : '')
        return `${s.id}: ${why.slice(0, 300)}`
      })
    return { run, exit, seconds, counts: parsed.counts, errored }
  } catch (error) {
    return { run, exit, seconds, errored: [`no report: ${(error as Error).message}`] }
  }
}

const hogs = Array.from({ length: Number(values.hogs) }, startHog)
const dir = await mkdtemp(join(tmpdir(), 'dcrc-hog-'))
const results: RunNumbers[] = []
try {
  for (let run = 1; run <= Number(values.runs); run++) {
    const numbers = await oneRun(run, dir)
    results.push(numbers)
    console.log(JSON.stringify(numbers))
  }
} finally {
  for (const hog of hogs) hog.kill('SIGKILL')
  await rm(dir, { recursive: true, force: true })
}
const erroredTotal = results.reduce((sum, r) => sum + r.errored.length, 0)
console.log(
  JSON.stringify({
    runs: results.length,
    workers: Number(values.workers),
    hogs: hogs.length,
    loginDriver: values['login-driver'],
    exits: results.map((r) => r.exit),
    seconds: results.map((r) => r.seconds),
    erroredScenarios: erroredTotal,
  }),
)
process.exitCode = erroredTotal === 0 ? 0 : 1
