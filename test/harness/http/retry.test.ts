import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHttpClient } from '../../../harness/http/client.ts'
import { mayRetry } from '../../../harness/http/retry.ts'

/**
 * A server that answers the first request on each socket and resets the socket on the second
 * one before answering: exactly a kept-alive socket the server dropped under a request.
 */
const perSocket = new WeakMap<Socket, number>()
const received: string[] = []
let resetFirstRequest = false
const server = createServer((req: IncomingMessage, res: ServerResponse) => {
  const count = (perSocket.get(req.socket) ?? 0) + 1
  perSocket.set(req.socket, count)
  received.push(`${req.method} ${req.url} #${count}`)
  req.resume()
  req.on('end', () => {
    if (count >= 2 || (resetFirstRequest && req.url === '/fresh-reset')) {
      req.socket.destroy()
      return
    }
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end('{"ok":true}')
  })
})
server.keepAliveTimeout = 60_000
let origin = ''
/** undici frees a socket for the next request a few ticks after the body ended. */
const socketFreed = () => new Promise((resolve) => setTimeout(resolve, 50))

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
})

describe('retry of a request on a reused socket that was reset', () => {
  it('sends an idempotent request again on a new socket, once', async () => {
    received.length = 0
    const http = createHttpClient()
    try {
      await http.send({ method: 'GET', url: `${origin}/a` })
      await socketFreed()
      const { response } = await http.send({ method: 'GET', url: `${origin}/b` })
      expect(response.status).toBe(200)
      // The second request met the reset on the reused socket, then went on a fresh one.
      expect(received).toEqual(['GET /a #1', 'GET /b #2', 'GET /b #1'])
    } finally {
      await http.close()
    }
  })

  it('never sends a POST twice: it may have reached the server', async () => {
    received.length = 0
    const http = createHttpClient()
    try {
      await http.send({ method: 'POST', url: `${origin}/register`, body: '{}' })
      await socketFreed()
      const failure = await http
        .send({ method: 'POST', url: `${origin}/register`, body: '{}' })
        .then(() => undefined, (error: unknown) => error as Error & { code?: string })
      expect(failure?.code).toBe('E_HTTP')
      expect(failure?.message).toMatch(/reset or closed/)
      expect(received).toEqual(['POST /register #1', 'POST /register #2'])
    } finally {
      await http.close()
    }
  })

  it('does not retry a reset on a fresh connection', async () => {
    received.length = 0
    resetFirstRequest = true
    const http = createHttpClient()
    try {
      const failure = await http
        .send({ method: 'GET', url: `${origin}/fresh-reset` })
        .then(() => undefined, (error: unknown) => error as Error & { code?: string })
      expect(failure?.code).toBe('E_HTTP')
      expect(received).toEqual(['GET /fresh-reset #1'])
    } finally {
      resetFirstRequest = false
      await http.close()
    }
  })

  it('refuses errors that are not a reset, and errors never seen on a socket', () => {
    expect(mayRetry('GET', new Error('plain'))).toBe(false)
    expect(mayRetry('GET', Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false)
    expect(mayRetry('POST', Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(false)
  })
})
