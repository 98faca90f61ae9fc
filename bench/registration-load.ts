/**
 * A closed-loop load generator: N registrations at concurrency C over one undici Pool, recording
 * each request's latency.
 */
import { Pool } from 'undici'

export interface LoadResult {
  total: number
  ok: number
  failed: number
  statuses: Record<number, number>
  durationMs: number
  perSecond: number
  p50Ms: number
  p99Ms: number
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]!
}

export async function runRegistrationLoad(options: {
  endpoint: string
  token: string
  body: string
  total: number
  concurrency: number
}): Promise<LoadResult> {
  const url = new URL(options.endpoint)
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1 })
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  let next = 0
  let ok = 0
  const started = process.hrtime.bigint()
  const worker = async () => {
    while (next < options.total) {
      next++
      const t0 = process.hrtime.bigint()
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: options.body,
      })
      await response.body.text()
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6)
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1
      if (response.statusCode === 201) ok++
    }
  }
  await Promise.all(Array.from({ length: options.concurrency }, worker))
  const durationMs = Number(process.hrtime.bigint() - started) / 1e6
  await pool.close()
  latencies.sort((a, b) => a - b)
  return {
    total: options.total,
    ok,
    failed: options.total - ok,
    statuses,
    durationMs,
    perSecond: (options.total / durationMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  }
}
