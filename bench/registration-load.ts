/**
 * A closed-loop load generator: registrations at concurrency C over one undici Pool, for a number
 * of registrations or for a fixed time window, recording each one's latency. On the one-time IAT
 * path each registration first fetches a fresh initial access token, and the pair is timed as one.
 */
import { Pool } from 'undici'

/** How to get one fresh initial access token (a POST answering `{ "access_token": ... }`). */
export interface IatRequest {
  url: string
  headers?: Record<string, string>
  body?: string
}

export interface LoadOptions {
  endpoint: string
  /** The static IAT; ignored when `iat` is given. */
  token: string
  body: string
  concurrency: number
  /** Stop after this many registrations ... */
  total?: number
  /** ... or when this window (ms) has passed; requests in flight then still finish. */
  windowMs?: number
  /** Fetch a fresh one-time IAT before each registration. */
  iat?: IatRequest
}

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

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]!
}

async function fetchIat(pool: Pool, iat: IatRequest): Promise<string> {
  const url = new URL(iat.url)
  const response = await pool.request({
    method: 'POST',
    path: `${url.pathname}${url.search}`,
    headers: iat.headers ?? {},
    ...(iat.body !== undefined ? { body: iat.body } : {}),
  })
  const answer = (await response.body.json()) as { access_token?: unknown }
  if (typeof answer.access_token !== 'string') {
    throw new Error(`IAT request answered ${response.statusCode} without access_token`)
  }
  return answer.access_token
}

export async function runRegistrationLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.total === undefined && options.windowMs === undefined) {
    throw new Error('runRegistrationLoad needs total or windowMs')
  }
  const url = new URL(options.endpoint)
  const pool = new Pool(url.origin, { connections: options.concurrency, pipelining: 1 })
  const latencies: number[] = []
  const statuses: Record<number, number> = {}
  let started = 0
  let ok = 0
  const t0 = performance.now()
  const deadline = options.windowMs !== undefined ? t0 + options.windowMs : Infinity
  const more = () =>
    (options.total === undefined || started < options.total) && performance.now() < deadline
  const worker = async () => {
    while (more()) {
      started++
      const begin = performance.now()
      const token = options.iat ? await fetchIat(pool, options.iat) : options.token
      const response = await pool.request({
        method: 'POST',
        path: url.pathname,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: options.body,
      })
      await response.body.text()
      latencies.push(performance.now() - begin)
      statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1
      if (response.statusCode === 201) ok++
    }
  }
  try {
    await Promise.all(Array.from({ length: options.concurrency }, worker))
  } finally {
    await pool.close()
  }
  const durationMs = performance.now() - t0
  latencies.sort((a, b) => a - b)
  return {
    total: started,
    ok,
    failed: started - ok,
    statuses,
    durationMs,
    perSecond: (started / durationMs) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  }
}
