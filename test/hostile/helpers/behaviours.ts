/**
 * The misbehaviours of the hostile matrix, each a way to answer (or not answer) one request of a
 * hostile target (hostile-target.ts). Each returns true: the request is taken care of. Streams
 * stop when the harness goes away, so nothing outlives the case.
 */
import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { HostileRequest } from './hostile-target.ts'

const MIB = 1024 * 1024

/** A JSON object answer of `status` with `members`, padded by one string member to `bytes`. */
export function bigJson(request: HostileRequest, status: number, members: object, bytes = 2 * MIB): true {
  const head = JSON.stringify({ ...members, padding: '' })
  const body = `${head.slice(0, -2)}${'a'.repeat(bytes)}"}`
  const length = Buffer.byteLength(body)
  request.res.writeHead(status, { 'content-type': 'application/json', 'content-length': length })
  request.res.end(body)
  return true
}

/**
 * `members` with one member `nested` `depth` arrays deep (`[[[...]]]`): about 2 bytes a level,
 * so 100k levels stay far under the body limit.
 */
export function deepJson(request: HostileRequest, status: number, members: object, depth = 100_000): true {
  const head = JSON.stringify({ ...members, nested: 0 })
  const body = `${head.slice(0, -2)}${'['.repeat(depth)}${']'.repeat(depth)}}`
  request.res.writeHead(status, { 'content-type': 'application/json' })
  request.res.end(body)
  return true
}

/** Calls `tick` every `ms` until the socket closes. */
function everyUntilClosed(socket: Socket, ms: number, tick: () => void): void {
  const timer = setInterval(() => {
    if (socket.destroyed) clearInterval(timer)
    else tick()
  }, ms)
  socket.once('close', () => clearInterval(timer))
}

/** A JSON answer whose body comes one byte every `ms` and never ends. */
export function dripBody(request: HostileRequest, ms = 200): true {
  request.res.writeHead(200, { 'content-type': 'application/json' })
  request.res.write('{')
  everyUntilClosed(request.req.socket, ms, () => request.res.write(' '))
  return true
}

/** A chunked JSON answer that never ends, written as fast as the harness reads it. */
export function endlessBody(request: HostileRequest): true {
  const { res } = request
  res.writeHead(200, { 'content-type': 'application/json' })
  const chunk = `[${'0,'.repeat(32_767)}`
  const pump = () => {
    while (!res.destroyed && res.write(chunk)) {
      // keep writing until the socket's buffer is full
    }
  }
  res.on('drain', pump)
  pump()
  return true
}

/** Writes raw bytes on the socket, bypassing node's response writer (which never runs). */
function raw(request: HostileRequest, text: string): Socket {
  const socket = request.req.socket
  socket.write(text)
  return socket
}

/** A status line, then header lines forever (4 KiB of them every `ms`). */
export function endlessHeaders(request: HostileRequest, ms = 20): true {
  const socket = raw(request, 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n')
  let n = 0
  const lines = () => Array.from({ length: 50 }, () => `x-hostile-${n++}: ${'h'.repeat(64)}\r\n`).join('')
  everyUntilClosed(socket, ms, () => socket.write(lines()))
  return true
}

/** One answer with `count` headers (several MiB of head), then a small JSON body. */
export function headerBomb(request: HostileRequest, count = 100_000): true {
  const headers = Array.from({ length: count }, (_, i) => `x-bomb-${i}: ${'b'.repeat(32)}\r\n`).join('')
  const head = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n${headers}`
  const socket = raw(request, `${head}content-length: 2\r\n\r\n{}`)
  socket.end()
  return true
}

/** A TCP reset, after `partial` (a head and part of a body) when given. */
export function reset(request: HostileRequest, partial?: string): true {
  const socket = request.req.socket
  if (partial === undefined) {
    socket.resetAndDestroy()
    return true
  }
  socket.write(partial, () => socket.resetAndDestroy())
  return true
}

/** Accepts and never answers: the socket stays open until the harness gives up. */
export function blackHole(_request: HostileRequest): true {
  return true
}

/** A redirect to `location`. */
export function redirect(res: ServerResponse, status: number, location: string): true {
  res.writeHead(status, { location, 'content-length': 0 })
  res.end()
  return true
}
