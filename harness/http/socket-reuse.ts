/**
 * What undici knew about a failed request's socket, for the retry rule (retry.ts): whether the
 * socket had carried an earlier request (a kept-alive socket, reused) and whether any byte came
 * back on it after this request was written.
 *
 * undici publishes each request's socket on the `undici:client:sendHeaders` diagnostics channel
 * and its failure on `undici:request:error` (before the caller's promise rejects), so the facts
 * are attached to the very error object `request()` rejects with. Only counters are kept, in
 * weak maps: nothing outlives its socket or request.
 */
import diagnostics from 'node:diagnostics_channel'
import type { Socket } from 'node:net'

/** What the socket looked like when a request failed. */
export interface SocketFacts {
  /** The socket had carried at least one earlier request. */
  reused: boolean
  /** Bytes read on the socket after this request's headers were written. */
  bytesReadSinceSent: number
}

interface Sent {
  socket: Socket
  bytesReadAtSend: number
  reused: boolean
}

const requestsBySocket = new WeakMap<Socket, number>()
const sentByRequest = new WeakMap<object, Sent>()
const factsByError = new WeakMap<object, SocketFacts>()
let subscribed = false

function onSendHeaders(message: unknown): void {
  const { request, socket } = message as { request: object; socket: Socket }
  const count = (requestsBySocket.get(socket) ?? 0) + 1
  requestsBySocket.set(socket, count)
  sentByRequest.set(request, { socket, bytesReadAtSend: socket.bytesRead, reused: count > 1 })
}

function onRequestError(message: unknown): void {
  const { request, error } = message as { request: object; error: unknown }
  const sent = sentByRequest.get(request)
  if (!sent || typeof error !== 'object' || error === null) return
  factsByError.set(error, {
    reused: sent.reused,
    bytesReadSinceSent: Math.max(0, (sent.socket.bytesRead ?? 0) - sent.bytesReadAtSend),
  })
}

/** Starts recording (once per process; idempotent). */
export function trackSocketReuse(): void {
  if (subscribed) return
  subscribed = true
  diagnostics.subscribe('undici:client:sendHeaders', onSendHeaders)
  diagnostics.subscribe('undici:request:error', onRequestError)
}

/** The socket facts of a failed request; undefined when the request never reached a socket. */
export function socketFactsOf(error: unknown): SocketFacts | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const facts = factsByError.get(current)
    if (facts) return facts
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
