/**
 * The reference server against node-oidc-provider 9: registrations per second, each server in
 * its own process on loopback, same body, same concurrency. Each IAT path (a static token; a
 * fresh one-time IAT fetched before each registration) gets its own pair of processes, warmed up
 * with thousands of registrations, then measured in fixed-time windows alternating between the
 * servers; the median window is reported.
 *
 * Options (environment): BENCH_WARMUP (registrations per server, default 5000), BENCH_WINDOW_MS
 * (5000), BENCH_ROUNDS (3), BENCH_CONCURRENCY (16).
 */
import { launch, type Launched } from './processes.ts'
import { runRegistrationLoad, type IatRequest, type LoadResult } from './registration-load.ts'
import { envNumber, spread, table, x, type Spread } from './stats.ts'

interface ServerInfo {
  name: string
  registration_endpoint: string
  token: string
  iat?: IatRequest
}

export type IatPath = 'static' | 'one-time'

export interface PathResult {
  path: IatPath
  /** Registrations per second of each window, reference then oidc-provider. */
  reference: Spread
  oidcProvider: Spread
  /** reference / oidc-provider of each round's pair of windows. */
  ratio: Spread
  p99: { reference: number; oidcProvider: number }
}

const body = JSON.stringify({
  redirect_uris: ['https://localhost/callback'],
  scope: 'openid',
  client_name: 'bench client',
})

function settings() {
  return {
    warmup: envNumber('BENCH_WARMUP', 5000),
    rounds: envNumber('BENCH_ROUNDS', 3),
    windowMs: envNumber('BENCH_WINDOW_MS', 5000),
    concurrency: envNumber('BENCH_CONCURRENCY', 16),
  }
}

function load(server: ServerInfo, limit: { total?: number; windowMs?: number }) {
  return runRegistrationLoad({
    endpoint: server.registration_endpoint,
    token: server.token,
    body,
    concurrency: settings().concurrency,
    ...(server.iat ? { iat: server.iat } : {}),
    ...limit,
  })
}

function assertOk(name: string, result: LoadResult): void {
  if (result.failed > 0) {
    const statuses = JSON.stringify(result.statuses)
    throw new Error(`${name}: ${result.failed} registrations failed: ${statuses}`)
  }
}

async function measurePath(path: IatPath): Promise<PathResult> {
  const env = { BENCH_IAT_MODE: path }
  const servers: Launched<ServerInfo>[] = []
  try {
    servers.push(await launch<ServerInfo>('bench/servers/reference.ts', env))
    servers.push(await launch<ServerInfo>('bench/servers/oidc-provider.ts', env))
    const { warmup, rounds, windowMs } = settings()
    for (const server of servers) {
      assertOk(server.info.name, await load(server.info, { total: warmup }))
    }
    const windows: LoadResult[][] = [[], []]
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0]
      for (const i of order) {
        const result = await load(servers[i]!.info, { windowMs })
        assertOk(servers[i]!.info.name, result)
        windows[i]!.push(result)
      }
    }
    const rate = (i: number) => windows[i]!.map((w) => w.perSecond)
    const p99 = (i: number) => spread(windows[i]!.map((w) => w.p99Ms)).median
    return {
      path,
      reference: spread(rate(0)),
      oidcProvider: spread(rate(1)),
      ratio: spread(rate(0).map((r, i) => r / rate(1)[i]!)),
      p99: { reference: p99(0), oidcProvider: p99(1) },
    }
  } finally {
    for (const server of servers) server.stop()
  }
}

export async function serverBench(): Promise<PathResult[]> {
  return [await measurePath('static'), await measurePath('one-time')]
}

export function serverTable(results: PathResult[]): string {
  const rows = [
    ['IAT path', 'reference reg/s', 'oidc-provider reg/s', 'min', 'median', 'p99 ms ref / op'],
  ]
  for (const r of results) {
    rows.push([
      r.path,
      r.reference.median.toFixed(0),
      r.oidcProvider.median.toFixed(0),
      x(r.ratio.min),
      x(r.ratio.median),
      `${r.p99.reference.toFixed(1)} / ${r.p99.oidcProvider.toFixed(1)}`,
    ])
  }
  const s = settings()
  const how =
    `warm-up ${s.warmup} registrations per server, ${s.rounds} alternating windows of ` +
    `${s.windowMs} ms, concurrency ${s.concurrency}; rates are medians, min/median of the ratio`
  return `${table(rows)}\n(${how})`
}
