/**
 * A raw replay: the requests a JSON report recorded, sent again with plain undici to a fresh
 * built-in reference server in this process (as the harness runs it), with the same concurrency
 * (scenarios in lanes, each scenario's exchanges in order) and the same TLS trust (the default
 * roots plus the reference CA, one secure context). At the end it deletes the clients it
 * registered, as the harness's ledger does. What it measures is what HTTP alone costs.
 *
 * Usage: node bin/run-ts.js bench/replay.ts REPORT.json [LANES] [ROUNDS]
 * Prints one JSON line: { durationMs, requests, skipped, sameStatus, deletes, lanes, rounds },
 * the counts and `durationMs` of the first round, `rounds` the duration of each round.
 */
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { createSecureContext, rootCertificates } from 'node:tls'
import { Agent, request } from 'undici'
import { startReferenceTarget } from '../builtin/reference-target.ts'
import type { Exchange } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import type { TargetConfig } from '../harness/model/target.ts'
import { DEFAULT_DELETE_CONCURRENCY } from '../harness/runner/ledger.ts'
import { LiveValues, type LiveCredentials } from './replay-values.ts'

const [reportFile, lanesArg, roundsArg] = process.argv.slice(2)
if (!reportFile) throw new Error('usage: replay.ts REPORT.json [LANES] [ROUNDS]')
const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report
const lanes = Number(lanesArg) || availableParallelism()
const rounds = Math.max(1, Number(roundsArg) || 1)
const registrationPath = '/oauth/v2/oauth-dynamic-client-registration'

interface RoundResult {
  durationMs: number
  requests: number
  skipped: number
  sameStatus: number
  deletes: number
}

/** One round's live server, how to reach it, and what the round counted and registered. */
interface Live {
  dispatcher: Agent
  origin: string
  origins: Map<string, string>
  credentials: LiveCredentials
  counts: { requests: number; skipped: number; sameStatus: number }
  /** Client id -> its registration access token. */
  registered: Map<string, string | undefined>
  deleted: Set<string>
}

async function liveTarget(target: TargetConfig): Promise<Live> {
  const ca = await readFile(target.tls!.ca!, 'utf8')
  const origin = new URL(target.issuer).origin
  // The built-in target's IAT strategy is client credentials (builtin/reference-target.ts).
  const iat = target.registration?.iat as
    | { client_id?: string; client_secret?: string; scope?: string; other_scope?: string }
    | undefined
  return {
    dispatcher: new Agent({
      connect: { secureContext: createSecureContext({ ca: [...rootCertificates, ca] }) },
    }),
    origin,
    origins: new Map([[new URL(report.target.issuer).origin, origin]]),
    credentials: {
      iatClient: {
        id: iat?.client_id ?? '',
        secret: iat?.client_secret ?? '',
        scopes: [iat?.scope, iat?.other_scope].filter((s): s is string => !!s),
      },
      password: target.login?.password ?? '',
    },
    counts: { requests: 0, skipped: 0, sameStatus: 0 },
    registered: new Map(),
    deleted: new Set(),
  }
}

async function send(live: Live, values: LiveValues, exchange: Exchange): Promise<void> {
  const url = new URL(values.map(exchange.request.url))
  if (url.origin !== live.origin) {
    live.counts.skipped++ // the harness's own callback server, not the target
    return
  }
  const { headers, body } = values.request(url, exchange.request.headers, exchange.request.body)
  live.counts.requests++
  const answer = await request(url, {
    method: exchange.request.method as 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
    dispatcher: live.dispatcher,
  })
  const text = await answer.body.text()
  if (answer.statusCode === exchange.response?.status) live.counts.sameStatus++
  else if (process.env.BENCH_REPLAY_DEBUG) {
    const recorded = exchange.response?.status
    const what = `${exchange.request.method} ${url.pathname}`
    process.stderr.write(`${answer.statusCode} != ${recorded} ${what}\n`)
  }
  const location = answer.headers.location
  values.learn(exchange.response?.body, text, typeof location === 'string' ? location : undefined)
  if (exchange.request.method === 'DELETE' && answer.statusCode === 204) {
    live.deleted.add(decodeURIComponent(url.pathname.split('/').at(-1) ?? ''))
  }
}

async function replayScenario(live: Live, exchanges: Exchange[]): Promise<void> {
  const values = new LiveValues(live.credentials, live.origins, registrationPath)
  for (const exchange of exchanges) await send(live, values, exchange)
  for (const [id, rat] of values.clients()) live.registered.set(id, rat)
}

/**
 * The harness deletes every client a run registered and did not delete (its ledger), as many at
 * a time as the ledger does. Returns how many.
 */
async function deleteLeftovers(live: Live): Promise<number> {
  const leftovers = [...live.registered].filter(([id, rat]) => rat && !live.deleted.has(id))
  const queue = [...leftovers]
  await Promise.all(
    Array.from({ length: DEFAULT_DELETE_CONCURRENCY }, async () => {
      for (let entry = queue.shift(); entry; entry = queue.shift()) {
        const [id, rat] = entry
        const url = `${live.origin}${registrationPath}/${encodeURIComponent(id)}`
        const answer = await request(url, {
          method: 'DELETE',
          headers: { authorization: `Bearer ${rat}` },
          dispatcher: live.dispatcher,
        })
        await answer.body.dump()
      }
    }),
  )
  return leftovers.length
}

/** One replay of the whole report against a fresh reference target, timed like a harness run. */
async function replayRound(): Promise<RoundResult> {
  const reference = await startReferenceTarget()
  const live = await liveTarget(reference.target)
  const scenarios = report.scenarios.map((s) => s.steps.flatMap((step) => step.exchanges ?? []))
  const started = performance.now()
  let next = 0
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < scenarios.length) await replayScenario(live, scenarios[next++]!)
    }),
  )
  const deletes = await deleteLeftovers(live)
  const durationMs = performance.now() - started
  await live.dispatcher.close()
  await reference.close()
  return { durationMs, ...live.counts, deletes }
}

// Rounds after the first run code V8 has optimised (bench/warm-harness.js does the same for the
// harness): the first round is the measure of a real run, the later ones the warm pair's.
const results: RoundResult[] = []
for (let round = 0; round < rounds; round++) results.push(await replayRound())
const result = { ...results[0]!, lanes, rounds: results.map((r) => r.durationMs) }
process.stdout.write(`${JSON.stringify(result)}\n`)
