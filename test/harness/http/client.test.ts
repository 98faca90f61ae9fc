import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { getEventListeners } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient, exchangeOf, RECORDED_BODY_LIMIT } from '../../../harness/http/client.ts'
import { HarnessError } from '../../../harness/errors.ts'

type Handler = (req: IncomingMessage, res: ServerResponse) => void
const routes = new Map<string, Handler>()
let origin = ''
const server = createServer((req, res) => {
  const handler = routes.get(new URL(req.url ?? '/', 'http://x').pathname)
  if (handler) handler(req, res)
  else {
    res.writeHead(404)
    res.end()
  }
})

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  routes.set('/json', (req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'x-echo': req.headers['x-test'] ?? '',
      })
      res.end(JSON.stringify({ got: body, method: req.method }))
    })
  })
  routes.set('/problem', (_req, res) => {
    res.writeHead(400, { 'content-type': 'application/problem+json' })
    res.end('{"title":"bad"}')
  })
  routes.set('/invalid-json', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"a": ')
  })
  routes.set('/html', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' })
    res.end('{"looks":"like json"}')
  })
  routes.set('/redirect', (_req, res) => {
    res.writeHead(302, { location: '/json' })
    res.end()
  })
  routes.set('/big', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.end('x'.repeat(200 * 1024))
  })
  routes.set('/huge', (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' })
    const block = Buffer.alloc(64 * 1024, 'a')
    let sent = 0
    const pump = () => {
      while (sent < 10 * 1024 * 1024) {
        sent += block.length
        if (!res.write(block)) return void res.once('drain', pump)
      }
      res.end()
    }
    res.on('error', () => undefined)
    pump()
  })
  routes.set('/hang', () => undefined)
  routes.set('/slow-body', (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('partial')
  })
  routes.set('/reset', (req) => req.socket.destroy())
  routes.set('/multi', (_req, res) => {
    res.setHeader('set-cookie', ['a=1', 'b=2'])
    res.setHeader('__proto__', 'a header like any other')
    res.writeHead(204)
    res.end()
  })
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

async function rejection(promise: Promise<unknown>): Promise<HarnessError> {
  try {
    await promise
  } catch (error) {
    return error as HarnessError
  }
  throw new Error('expected a rejection')
}

describe('createHttpClient', () => {
  it('parses JSON bodies by content type and records the exchange', async () => {
    const http = createHttpClient()
    try {
      const { response, exchange } = await http.send({
        method: 'post',
        url: `${origin}/json`,
        headers: { 'x-test': 'yes', 'content-type': 'text/plain' },
        body: 'hello',
      })
      expect(response.status).toBe(200)
      expect(response.body).toEqual({ got: 'hello', method: 'POST' })
      expect(response.headers['x-echo']).toBe('yes')
      expect(exchange.request).toEqual({
        method: 'POST',
        url: `${origin}/json`,
        headers: { 'x-test': 'yes', 'content-type': 'text/plain' },
        body: 'hello',
      })
      expect(exchange.response?.status).toBe(200)
      expect(exchange.response?.body).toBe(response.text)
    } finally {
      await http.close()
    }
  })

  it('parses +json types, keeps invalid JSON and non-JSON types as text', async () => {
    const http = createHttpClient()
    try {
      expect((await http.send({ method: 'GET', url: `${origin}/problem` })).response.body).toEqual({
        title: 'bad',
      })
      const invalid = await http.send({ method: 'GET', url: `${origin}/invalid-json` })
      expect(invalid.response.body).toBe('{"a": ')
      const html = await http.send({ method: 'GET', url: `${origin}/html` })
      expect(html.response.body).toBe('{"looks":"like json"}')
    } finally {
      await http.close()
    }
  })

  it('does not follow redirects and joins repeated headers', async () => {
    const http = createHttpClient()
    try {
      const { response } = await http.send({ method: 'GET', url: `${origin}/redirect` })
      expect(response.status).toBe(302)
      expect(response.headers['location']).toBe('/json')
      const multi = await http.send({ method: 'GET', url: `${origin}/multi` })
      expect(multi.response.headers['set-cookie']).toBe('a=1, b=2')
      // A header named __proto__ is a header, in the response and in the recorded exchange.
      expect(Object.getOwnPropertyDescriptor(multi.response.headers, '__proto__')?.value).toBe(
        'a header like any other',
      )
      expect(JSON.stringify(multi.exchange.response?.headers)).toContain('"__proto__":"a header')
    } finally {
      await http.close()
    }
  })

  it('truncates the recorded body at 64 KiB but gives the action all of it', async () => {
    const http = createHttpClient()
    try {
      const { response, exchange } = await http.send({ method: 'GET', url: `${origin}/big` })
      expect(response.text.length).toBe(200 * 1024)
      expect(exchange.response?.body?.length).toBe(RECORDED_BODY_LIMIT)
      expect(exchange.response?.truncated).toBe(true)
    } finally {
      await http.close()
    }
  })

  it('refuses a body nested deeper than any OAuth document (no recursive walk may overflow)', async () => {
    const deep = `${'['.repeat(4000)}${']'.repeat(4000)}`
    routes.set('/deep', (_req, res) => {
      res.writeHead(201, { 'content-type': 'application/json' })
      res.end(`{"client_id":${deep}}`)
    })
    const http = createHttpClient()
    try {
      const error = await rejection(http.send({ method: 'GET', url: `${origin}/deep` }))
      expect(error.code).toBe('E_HTTP')
      expect(error.message).toMatch(/nests deeper than 64 levels/)
      expect(exchangeOf(error)?.response?.status).toBe(201)
    } finally {
      await http.close()
    }
  })

  it('aborts a body past the size limit with E_HTTP_TOO_LARGE', async () => {
    const http = createHttpClient({ limits: { max_response_bytes: 1024 * 1024 } })
    try {
      const error = await rejection(http.send({ method: 'GET', url: `${origin}/huge` }))
      expect(error.code).toBe('E_HTTP_TOO_LARGE')
      expect(error.message).toMatch(/larger than the limit of 1048576 bytes/)
      expect(exchangeOf(error)?.error).toMatch(/larger than the limit/)
      expect(exchangeOf(error)?.response?.status).toBe(200)
    } finally {
      await http.close()
    }
  })

  it('times out when no answer comes, and when the body never ends', async () => {
    const http = createHttpClient({ limits: { request_timeout_ms: 300 } })
    try {
      const noAnswer = await rejection(http.send({ method: 'GET', url: `${origin}/hang` }))
      expect(noAnswer.code).toBe('E_HTTP_TIMEOUT')
      expect(noAnswer.message).toMatch(/within 300 ms/)
      const slowBody = await rejection(http.send({ method: 'GET', url: `${origin}/slow-body` }))
      expect(slowBody.code).toBe('E_HTTP_TIMEOUT')
    } finally {
      await http.close()
    }
  })

  it('stops when the caller aborts', async () => {
    const http = createHttpClient()
    try {
      const controller = new AbortController()
      const pending = rejection(
        http.send({ method: 'GET', url: `${origin}/hang` }, controller.signal),
      )
      controller.abort(new Error('scenario timed out'))
      const error = await pending
      expect(error.code).toBe('E_HTTP_TIMEOUT')
      expect(error.message).toMatch(/scenario timed out/)
    } finally {
      await http.close()
    }
  })

  it('keeps an interrupt an interrupt, whether it comes before the answer or in its body', async () => {
    const http = createHttpClient()
    const interrupt = () => new HarnessError('E_INTERRUPTED', 'interrupted by SIGINT')
    const body = new AbortController()
    const onHeaders = () => setImmediate(() => body.abort(interrupt()))
    try {
      // Before the answer: the server never sends its headers.
      const hang = new AbortController()
      const route = routes.get('/hang')!
      const arrived = new Promise<void>((resolve) =>
        routes.set('/hang', (req, res) => {
          route(req, res)
          resolve()
        }),
      )
      const hangUrl = `${origin}/hang`
      const beforeAnswer = rejection(http.send({ method: 'GET', url: hangUrl }, hang.signal))
      await arrived
      routes.set('/hang', route)
      hang.abort(interrupt())
      // In the body: aborted once undici has the headers (its diagnostics channel says so).
      subscribe('undici:request:headers', onHeaders)
      const slowUrl = `${origin}/slow-body`
      const inBody = rejection(http.send({ method: 'GET', url: slowUrl }, body.signal))
      const outcomes = [['/hang', await beforeAnswer], ['/slow-body', await inBody]] as const
      for (const [path, error] of outcomes) {
        expect(error.code, path).toBe('E_INTERRUPTED')
        expect(error.message).toBe(`GET ${origin}${path}: aborted (interrupted by SIGINT)`)
      }
      expect(exchangeOf(await beforeAnswer)?.response).toBeUndefined()
      expect(exchangeOf(await inBody)?.response?.status).toBe(200)
    } finally {
      unsubscribe('undici:request:headers', onHeaders)
      await http.close()
    }
  })

  it('puts one listener on a caller signal, none after, and sends nothing once it aborted', async () => {
    let hits = 0
    routes.set('/counted', (_req, res) => {
      hits++
      res.end('ok')
    })
    const http = createHttpClient()
    try {
      const controller = new AbortController()
      const url = `${origin}/counted`
      // A parallel step: 20 requests on one signal, one listener on it (no listener warning).
      const send = () => http.send({ method: 'GET', url }, controller.signal)
      const parallel = Array.from({ length: 20 }, send)
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
      await Promise.all(parallel)
      // One scenario's signal serves all its requests: the listener goes with the last.
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      controller.abort(new Error('interrupted'))
      const error = await rejection(http.send({ method: 'GET', url }, controller.signal))
      expect(error.code).toBe('E_HTTP_TIMEOUT')
      expect(error.message).toMatch(/aborted \(interrupted\)/)
      expect(hits).toBe(20)
    } finally {
      await http.close()
    }
  })

  it('reports a reset connection as E_HTTP and a refused one as E_TARGET_UNREACHABLE', async () => {
    const http = createHttpClient()
    try {
      const reset = await rejection(http.send({ method: 'GET', url: `${origin}/reset` }))
      expect(reset.code).toBe('E_HTTP')
      expect(reset.message).toMatch(/reset or closed/)
      const closed = createServer()
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
      const port = (closed.address() as AddressInfo).port
      await new Promise<void>((resolve) => closed.close(() => resolve()))
      const refused = await rejection(
        http.send({ method: 'GET', url: `http://127.0.0.1:${port}/` }),
      )
      expect(refused.code).toBe('E_TARGET_UNREACHABLE')
      expect(exchangeOf(refused)?.error).toMatch(/unreachable/)
    } finally {
      await http.close()
    }
  })

  it('rejects invalid URLs and schemes without sending', async () => {
    const http = createHttpClient()
    try {
      expect((await rejection(http.send({ method: 'GET', url: 'not a url' }))).message).toMatch(
        /invalid URL/,
      )
      expect(
        (await rejection(http.send({ method: 'GET', url: 'file:///etc/passwd' }))).message,
      ).toMatch(/unsupported URL scheme/)
    } finally {
      await http.close()
    }
  })
})
