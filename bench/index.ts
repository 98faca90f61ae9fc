/**
 * `npm run bench`: registrations per second and latency of the reference server side by side
 * with node-oidc-provider 9, both in their own process on loopback, same request body, same
 * static initial access token style, same concurrency. Never part of `npm test`.
 *
 * Options (environment): BENCH_TOTAL (default 2000), BENCH_CONCURRENCY (16), BENCH_WARMUP (300),
 * BENCH_ROUNDS (3; the best round of each server is reported, rounds alternate between servers).
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runRegistrationLoad } from './registration-load.ts'
import type { LoadResult } from './registration-load.ts'

interface Target {
  name: string
  registration_endpoint: string
  token: string
  child: ChildProcess
}

const root = fileURLToPath(new URL('..', import.meta.url))
const total = Number(process.env.BENCH_TOTAL ?? 2000)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16)
const warmup = Number(process.env.BENCH_WARMUP ?? 300)
const rounds = Number(process.env.BENCH_ROUNDS ?? 3)
const body = JSON.stringify({
  redirect_uris: ['https://localhost/callback'],
  scope: 'openid',
  client_name: 'bench client',
})

async function launch(script: string): Promise<Target> {
  const child = spawn(process.execPath, ['bin/run-ts.js', script], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stderr!.resume()
  return new Promise((resolve, reject) => {
    let buffer = ''
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 30_000)
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)))
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString()
      const line = buffer.split('\n')[0]
      if (buffer.includes('\n') && line) {
        clearTimeout(timer)
        resolve({ ...(JSON.parse(line) as Omit<Target, 'child'>), child })
      }
    })
  })
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
}

async function main(): Promise<void> {
  const targets = [
    await launch('bench/servers/reference.ts'),
    await launch('bench/servers/oidc-provider.ts'),
  ]
  try {
    for (const t of targets) {
      const w = await runRegistrationLoad({
        endpoint: t.registration_endpoint,
        token: t.token,
        body,
        total: warmup,
        concurrency,
      })
      if (w.ok !== warmup)
        throw new Error(`${t.name}: warm-up registrations failed: ${JSON.stringify(w.statuses)}`)
    }
    const best = new Map<string, LoadResult>()
    for (let round = 0; round < rounds; round++) {
      for (const t of round % 2 === 0 ? targets : [...targets].reverse()) {
        const r = await runRegistrationLoad({
          endpoint: t.registration_endpoint,
          token: t.token,
          body,
          total,
          concurrency,
        })
        if (r.failed > 0)
          throw new Error(
            `${t.name}: ${r.failed} registrations failed: ${JSON.stringify(r.statuses)}`,
          )
        const previous = best.get(t.name)
        if (!previous || r.perSecond > previous.perSecond) best.set(t.name, r)
      }
    }
    const ours = best.get(targets[0]!.name)!
    const theirs = best.get(targets[1]!.name)!
    const widths = [24, 14, 10, 10, 10]
    const lines = [
      `Registrations: ${total} per round, concurrency ${concurrency}, warm-up ${warmup}, best of ${rounds} rounds, loopback, separate processes`,
      '',
      row(['server', 'registrations/s', 'p50 ms', 'p99 ms', 'total ms'], widths),
      row(['-'.repeat(24), '-'.repeat(14), '-'.repeat(10), '-'.repeat(10), '-'.repeat(10)], widths),
      ...[ours, theirs].map((r, i) =>
        row(
          [
            targets[i]!.name,
            r.perSecond.toFixed(0),
            r.p50Ms.toFixed(2),
            r.p99Ms.toFixed(2),
            r.durationMs.toFixed(0),
          ],
          widths,
        ),
      ),
      '',
      `throughput ratio (reference / oidc-provider): ${(ours.perSecond / theirs.perSecond).toFixed(2)}x`,
      `p99 ratio (oidc-provider / reference):        ${(theirs.p99Ms / ours.p99Ms).toFixed(2)}x`,
    ]
    process.stdout.write(`${lines.join('\n')}\n`)
  } finally {
    for (const t of targets) t.child.kill('SIGTERM')
  }
}

await main()
