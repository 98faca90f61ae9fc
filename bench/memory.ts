/**
 * Bounded memory of the reference server: RSS (after a GC) of one server process after 20k and
 * after 200k registrations on the static-token path. The store evicts past its caps
 * (reference-server/store.ts), so the two should be close (goal: within 1.5x).
 * Options (environment): BENCH_MEMORY_FIRST (20000), BENCH_MEMORY_TOTAL (200000).
 */
import { launch, memoryOf } from './processes.ts'
import { runRegistrationLoad } from './registration-load.ts'
import { envNumber, x } from './stats.ts'

interface ServerInfo {
  registration_endpoint: string
  token: string
}

export interface MemoryResult {
  first: number
  total: number
  rssFirstMb: number
  rssTotalMb: number
  heapFirstMb: number
  heapTotalMb: number
  ratio: number
}

const body = JSON.stringify({ redirect_uris: ['https://localhost/callback'], scope: 'openid' })
const mb = (bytes: number) => bytes / 1024 / 1024

export async function memoryBench(): Promise<MemoryResult> {
  const first = envNumber('BENCH_MEMORY_FIRST', 20_000)
  const total = envNumber('BENCH_MEMORY_TOTAL', 200_000)
  const server = await launch<ServerInfo>('bench/servers/reference.ts', {}, ['--expose-gc'])
  try {
    const register = async (count: number) => {
      const result = await runRegistrationLoad({
        endpoint: server.info.registration_endpoint,
        token: server.info.token,
        body,
        concurrency: 16,
        total: count,
      })
      if (result.failed > 0) {
        throw new Error(`registrations failed: ${JSON.stringify(result.statuses)}`)
      }
    }
    await register(first)
    const a = await memoryOf(server.child)
    await register(total - first)
    const b = await memoryOf(server.child)
    return {
      first,
      total,
      rssFirstMb: mb(a.rss),
      rssTotalMb: mb(b.rss),
      heapFirstMb: mb(a.heapUsed),
      heapTotalMb: mb(b.heapUsed),
      ratio: b.rss / a.rss,
    }
  } finally {
    server.stop()
  }
}

export function memoryLine(r: MemoryResult): string {
  return (
    `reference server RSS after ${r.first} registrations ${r.rssFirstMb.toFixed(1)} MB ` +
    `(heap ${r.heapFirstMb.toFixed(1)} MB), after ${r.total} ${r.rssTotalMb.toFixed(1)} MB ` +
    `(heap ${r.heapTotalMb.toFixed(1)} MB): ${x(r.ratio)}`
  )
}
