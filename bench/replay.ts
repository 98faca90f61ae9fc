/**
 * A raw replay: the requests a JSON report recorded, sent again with plain undici to a fresh
 * built-in reference server in this process (as the harness runs it), with the same concurrency
 * (scenarios in lanes, each scenario's exchanges in order) and the same TLS trust (the default
 * roots plus the reference CA, one secure context). At the end it deletes the clients it
 * registered, as the harness's ledger does. What it measures is what HTTP alone costs.
 *
 * Usage: node bin/run-ts.js bench/replay.ts REPORT.json [LANES]
 * Prints one JSON line: { durationMs, requests, skipped, sameStatus, lanes }.
 */
import { readFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { createSecureContext, rootCertificates } from 'node:tls'
import { Agent, request } from 'undici'
import { startReferenceTarget } from '../builtin/reference-target.ts'
import type { Exchange } from '../harness/model/result.ts'
import type { Report } from '../harness/model/report.ts'
import { DEFAULT_DELETE_CONCURRENCY } from '../harness/runner/ledger.ts'
import { LiveValues, type LiveCredentials } from './replay-values.ts'

const [reportFile, lanesArg] = process.argv.slice(2)
if (!reportFile) throw new Error('usage: replay.ts REPORT.json [LANES]')
const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report
const lanes = Number(lanesArg) || availableParallelism()

const reference = await startReferenceTarget()
const target = reference.target
const ca = await readFile(target.tls!.ca!, 'utf8')
const dispatcher = new Agent({
  connect: { secureContext: createSecureContext({ ca: [...rootCertificates, ca] }) },
})
const liveOrigin = new URL(target.issuer).origin
const origins = new Map([[new URL(report.target.issuer).origin, liveOrigin]])
// The built-in target's IAT strategy is client credentials (builtin/reference-target.ts).
const iat = target.registration?.iat as
  | { client_id?: string; client_secret?: string; scope?: string; other_scope?: string }
  | undefined
const credentials: LiveCredentials = {
  iatClient: {
    id: iat?.client_id ?? '',
    secret: iat?.client_secret ?? '',
    scopes: [iat?.scope, iat?.other_scope].filter((s): s is string => !!s),
  },
  password: target.login?.password ?? '',
}
const registrationPath = '/oauth/v2/oauth-dynamic-client-registration'

let requests = 0
let skipped = 0
let sameStatus = 0
const registered = new Map<string, string | undefined>()
const deleted = new Set<string>()

async function send(values: LiveValues, exchange: Exchange): Promise<void> {
  const url = new URL(values.map(exchange.request.url))
  if (url.origin !== liveOrigin) {
    skipped++ // the harness's own callback server, not the target
    return
  }
  const { headers, body } = values.request(url, exchange.request.headers, exchange.request.body)
  requests++
  const answer = await request(url, {
    method: exchange.request.method as 'GET',
    headers,
    ...(body !== undefined ? { body } : {}),
    dispatcher,
  })
  const text = await answer.body.text()
  if (answer.statusCode === exchange.response?.status) sameStatus++
  else if (process.env.BENCH_REPLAY_DEBUG) {
    const recorded = exchange.response?.status
    const what = `${exchange.request.method} ${url.pathname}`
    process.stderr.write(`${answer.statusCode} != ${recorded} ${what}\n`)
  }
  const location = answer.headers.location
  values.learn(exchange.response?.body, text, typeof location === 'string' ? location : undefined)
  if (exchange.request.method === 'DELETE' && answer.statusCode === 204) {
    deleted.add(decodeURIComponent(url.pathname.split('/').at(-1) ?? ''))
  }
}

async function replayScenario(exchanges: Exchange[]): Promise<void> {
  const values = new LiveValues(credentials, origins, registrationPath)
  for (const exchange of exchanges) await send(values, exchange)
  for (const [id, rat] of values.clients()) registered.set(id, rat)
}

const scenarios = report.scenarios.map((s) => s.steps.flatMap((step) => step.exchanges ?? []))
const started = performance.now()
let next = 0
await Promise.all(
  Array.from({ length: lanes }, async () => {
    while (next < scenarios.length) await replayScenario(scenarios[next++]!)
  }),
)
// The harness deletes every client a run registered and did not delete (its ledger), as many
// at a time as the ledger does.
const leftovers = [...registered].filter(([id, rat]) => rat && !deleted.has(id))
const queue = [...leftovers]
await Promise.all(
  Array.from({ length: DEFAULT_DELETE_CONCURRENCY }, async () => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      const [id, rat] = entry
      const answer = await request(`${liveOrigin}${registrationPath}/${encodeURIComponent(id)}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${rat}` },
        dispatcher,
      })
      await answer.body.dump()
    }
  }),
)
const durationMs = performance.now() - started
await dispatcher.close()
await reference.close()
const result = { durationMs, requests, skipped, sameStatus, deletes: leftovers.length, lanes }
process.stdout.write(`${JSON.stringify(result)}\n`)
