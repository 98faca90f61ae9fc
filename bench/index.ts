/**
 * `npm run bench`: the speed goals of the project side by side, each as a ratio with min and
 * median over interleaved runs. Never part of `npm test`.
 *
 *   browser   the full default suite with real Chromium / with the HTTP-form driver (goal <= 3.5)
 *   startup   `--help` and `--version` / `node -e 0` (goal <= 4); first request of one scenario
 *   overhead  the harness / a raw undici replay of its exchanges, HTTP-only suites (goal <= 1.3);
 *             beside it the same pair warm, runs 3-5 of 5 in one process per side (no goal)
 *   scaling   4x / 1x the suite (linear: <= 4)
 *   server    reference server / node-oidc-provider registrations per second (keep the lead: > 1)
 *   memory    reference server RSS after 200k / after 20k registrations (goal <= 1.5)
 *   navigation Chromium's CPU per navigation with its RenderDocument feature on / off (> 1: the
 *             harness's switch pays)
 *
 * Options (environment): BENCH_ONLY=startup,server,... (default all), BENCH_RUNS (pairs per
 * suite benchmark, default 3), BENCH_STARTUP_RUNS (5), BENCH_FIRST_REQUEST_GREP
 * (^errors/status-and-json-body$); server.ts and memory.ts list their own.
 */
import { availableParallelism, cpus, loadavg } from 'node:os'
import { memoryBench, memoryLine, type MemoryResult } from './memory.ts'
import { renderDocument } from './navigation.ts'
import { serverBench, serverTable, type PathResult } from './server.ts'
import {
  browserVsHttp,
  cleanScratch,
  firstRequest,
  harnessVsReplay,
  harnessVsReplayWarm,
  scaling,
  startup,
  type Pair,
} from './suite-runs.ts'
import { envNumber, ms, table, x } from './stats.ts'
import { staleBuild } from './built.ts'

const ALL = ['startup', 'overhead', 'scaling', 'browser', 'server', 'memory', 'navigation'] as const
type Part = (typeof ALL)[number]
const only = (process.env.BENCH_ONLY ?? '').split(',').filter(Boolean)
const unknown = only.filter((part) => !(ALL as readonly string[]).includes(part))
if (unknown.length > 0) {
  throw new Error(`BENCH_ONLY: unknown ${unknown.join(', ')} (known: ${ALL.join(', ')})`)
}
const wanted = (part: Part) => only.length === 0 || only.includes(part)
const runs = envNumber('BENCH_RUNS', 3)

/** Goal per ratio: the bench shows, it does not judge; a miss is marked for the reader. */
const GOALS: Record<string, { max?: number; min?: number }> = {
  'browser / HTTP driver (full suite, wall)': { max: 3.5 },
  '--help / node -e 0': { max: 4 },
  '--version / node -e 0': { max: 4 },
  'harness / raw replay (HTTP-only suites)': { max: 1.3 },
  '4x / 1x the suite (wall)': { max: 4 },
  'Chromium CPU per navigation, RenderDocument on / off': { min: 1 },
}

function goalText(name: string): string {
  if (name.startsWith('first request')) return 'a <= 1000 ms'
  const goal = GOALS[name]
  if (!goal) return ''
  return goal.max !== undefined ? `<= ${goal.max}` : `>= ${goal.min}`
}

function log(line: string): void {
  process.stdout.write(`${line}\n`)
}

function pairRows(pairs: Pair[]): string[][] {
  return pairs.map((p) => [
    p.name,
    `${ms(p.a.median)} / ${ms(p.b.median)}`,
    x(p.ratio.min),
    x(p.ratio.median),
    goalText(p.name),
  ])
}

async function main(): Promise<void> {
  const load = loadavg().map((l) => l.toFixed(2)).join(', ')
  const cpu = cpus()[0]?.model ?? '?'
  log(`node ${process.version}, ${availableParallelism()} CPUs (${cpu}), load average ${load}`)
  const stale = await staleBuild()
  if (stale.length > 0) {
    const files = `${stale.slice(0, 5).join(', ')}${stale.length > 5 ? ', ...' : ''}`
    log(`warning: dist/ is older than ${files}: \`npm run build\` measures the sources as they are`)
  }
  const pairs: Pair[] = []
  let server: PathResult[] | undefined
  let memory: MemoryResult | undefined
  const section = async (part: Part, measure: () => Promise<void>) => {
    if (!wanted(part)) return
    const started = performance.now()
    await measure()
    log(`[${part}] done in ${((performance.now() - started) / 1000).toFixed(0)} s`)
  }
  try {
    await section('startup', async () => {
      pairs.push(...(await startup(envNumber('BENCH_STARTUP_RUNS', 5))))
      const grep = process.env.BENCH_FIRST_REQUEST_GREP ?? '^errors/status-and-json-body$'
      pairs.push(await firstRequest(runs, grep))
    })
    await section('overhead', async () => {
      pairs.push(await harnessVsReplay(runs))
      pairs.push(await harnessVsReplayWarm(runs))
    })
    await section('scaling', async () => void pairs.push(await scaling(runs)))
    await section('browser', async () => void pairs.push(await browserVsHttp(runs)))
    await section('server', async () => void (server = await serverBench()))
    await section('memory', async () => void (memory = await memoryBench()))
    await section('navigation', async () => {
      const measured = await renderDocument(runs)
      if (measured) pairs.push(measured)
      else log('[navigation] skipped: no Chromium, or no /proc to read its CPU from')
    })
  } finally {
    await cleanScratch()
  }
  log('')
  if (pairs.length > 0) {
    log(table([['ratio', 'medians a / b', 'min', 'median', 'goal'], ...pairRows(pairs)]))
    for (const p of pairs) {
      log(`  ${p.name}: ratios of the pairs ${p.ratio.runs.map(x).join(', ')}`)
      if (p.note) log(`  ${p.name}: ${p.note}`)
    }
    log('')
  }
  if (server) log(`${serverTable(server)}\n`)
  if (memory) log(memoryLine(memory))
  log(`load average at the end ${loadavg().map((l) => l.toFixed(2)).join(', ')}`)
}

await main()
