/**
 * 429 answers (harness/http/rate-limit.ts): the wait asked for, bounded, at most twice, and the
 * client sending again only then; the exchange says so.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HarnessError } from '../../../harness/errors.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import {
  MAX_RATE_LIMIT_WAIT_MS,
  rateLimitWait,
  waitUnlessAborted,
} from '../../../harness/http/rate-limit.ts'

describe('rateLimitWait', () => {
  const now = Date.parse('2026-12-06T08:00:00Z')

  it('waits what Retry-After asks (seconds or a date), else 1 s then 2 s', () => {
    expect(rateLimitWait(429, { 'retry-after': '3' }, 0, now)).toBe(3_000)
    expect(rateLimitWait(429, { 'retry-after': 'Sun, 06 Dec 2026 08:00:05 GMT' }, 0, now)).toBe(5_000)
    expect(rateLimitWait(429, { 'retry-after': 'Sun, 06 Dec 2026 07:00:00 GMT' }, 0, now)).toBe(0)
    expect(rateLimitWait(429, {}, 0, now)).toBe(1_000)
    expect(rateLimitWait(429, { 'retry-after': 'soon' }, 1, now)).toBe(2_000)
    // Not delay-seconds and no IMF-fixdate (Date.parse would read both as some date): default.
    expect(rateLimitWait(429, { 'retry-after': '1.5' }, 0, now)).toBe(1_000)
    expect(rateLimitWait(429, { 'retry-after': '-1' }, 0, now)).toBe(1_000)
  })

  it('does not retry another status, a third 429, or a wait longer than the bound', () => {
    expect(rateLimitWait(503, { 'retry-after': '1' }, 0, now)).toBeUndefined()
    expect(rateLimitWait(429, { 'retry-after': '0' }, 2, now)).toBeUndefined()
    const tooLong = String(MAX_RATE_LIMIT_WAIT_MS / 1000 + 1)
    expect(rateLimitWait(429, { 'retry-after': tooLong }, 0, now)).toBeUndefined()
  })
})

describe('waitUnlessAborted', () => {
  it("ends a wait with the caller's signal (the client then gives the 429 back)", async () => {
    const controller = new AbortController()
    const waiting = waitUnlessAborted(60_000, controller.signal)
    controller.abort(new Error('interrupted'))
    expect(await waiting).toBe(false)
    expect(await waitUnlessAborted(1_000, controller.signal)).toBe(false)
    expect(await waitUnlessAborted(0)).toBe(true)
  })
})

describe('the run client on a rate-limited server', () => {
  /** Answers 429 (Retry-After: 0) to the first `limited` requests of each path, then 201. */
  const seen = new Map<string, number>()
  /** Aborted by the server's handler right after its 429 to a path ending in `abort`. */
  const aborts = new AbortController()
  let server: Server
  let base = ''
  beforeAll(async () => {
    server = createServer((request, response) => {
      const path = request.url ?? '/'
      const count = (seen.get(path) ?? 0) + 1
      seen.set(path, count)
      const limited = Number(path.split('/')[1])
      const retryAfter = path.endsWith('long') ? '60' : /second|abort/.test(path) ? '1' : '0'
      const interrupt = new HarnessError('E_INTERRUPTED', 'interrupted by SIGINT')
      if (path.endsWith('abort')) setImmediate(() => aborts.abort(interrupt))
      if (count <= limited) response.writeHead(429, { 'retry-after': retryAfter }).end()
      else response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => {
    server.closeAllConnections()
    server.close()
  })

  it('sends a POST again after the asked wait and records how often', async () => {
    const http = createHttpClient({ proxy: false })
    try {
      const { response, exchange } = await http.send({ method: 'POST', url: `${base}/2/a`, body: '{}' })
      expect(response.status).toBe(201)
      expect(exchange.rateLimited).toEqual({ retries: 2, waitedMs: 0 })
      expect(seen.get('/2/a')).toBe(3)
    } finally {
      await http.close()
    }
  })

  it('gives the 429 back after two retries, or at once when the wait asked is too long', async () => {
    const http = createHttpClient({ proxy: false })
    try {
      const always = await http.send({ method: 'GET', url: `${base}/9/b` })
      expect([always.response.status, always.exchange.rateLimited?.retries, seen.get('/9/b')]).toEqual([429, 2, 3])
      const long = await http.send({ method: 'GET', url: `${base}/9/long` })
      // Not retried, but marked: a final 429 of the client's (verdicts/rate-limited.ts).
      expect([long.response.status, long.exchange.rateLimited, seen.get('/9/long')]).toEqual([
        429,
        { retries: 0, waitedMs: 0 },
        1,
      ])
      expect((await http.send({ method: 'GET', url: `${base}/0/c` })).exchange.rateLimited).toBeUndefined()
    } finally {
      await http.close()
    }
  })

  it("stops waiting once the client's budget for 429s is spent", async () => {
    const http = createHttpClient({ proxy: false, rateLimitBudgetMs: 1_500 })
    try {
      // Two waits of 1 s were asked; the budget holds one.
      const { response, exchange } = await http.send({ method: 'GET', url: `${base}/9/second` })
      expect([response.status, exchange.rateLimited, seen.get('/9/second')]).toEqual([
        429,
        { retries: 1, waitedMs: 1_000 },
        2,
      ])
    } finally {
      await http.close()
    }
  })

  it('ends with the interrupt, not the 429, when the wait is interrupted', async () => {
    const http = createHttpClient({ proxy: false })
    try {
      // Aborted while waiting (or, on a slow machine, while reading the 429): either way the
      // caller gets the interrupt and nothing more is sent.
      const sent = http.send({ method: 'GET', url: `${base}/9/abort` }, aborts.signal)
      await expect(sent).rejects.toMatchObject({
        code: 'E_INTERRUPTED',
        message: expect.stringMatching(/aborted \(interrupted by SIGINT\)/),
      })
      expect(seen.get('/9/abort')).toBe(1)
    } finally {
      await http.close()
    }
  })
})
