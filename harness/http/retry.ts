/**
 * The transport retry rule of the HTTP client: a request is sent again (once) only when a
 * kept-alive socket that had carried an earlier request failed before any byte of this request's
 * response came back, and only when the method is idempotent (RFC 9110 §9.2.2), because such a
 * request may have reached the server: a POST that may have registered a client is never sent
 * twice on this rule. (A 429 answer, which the server did not act on, is rate-limit.ts's.)
 *
 * undici's RetryAgent is not used: it also retries fresh connections and 5xx answers, and resumes
 * half-read bodies with Range requests, none of which a conformance verdict may hide.
 */
import { socketFactsOf } from './socket-reuse.ts'

/** RFC 9110 §9.2.2 idempotent methods. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE'])

/** Transport codes of a connection the peer reset or closed (node, undici). */
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET'])

/** Whether a failed request may be sent once more (see the module comment). */
export function mayRetry(method: string, error: unknown): boolean {
  if (!IDEMPOTENT.has(method.toUpperCase())) return false
  if (!isConnectionClosedByPeer(error)) return false
  const facts = socketFactsOf(error)
  return facts !== undefined && facts.reused && facts.bytesReadSinceSent === 0
}

/** A transport failure where the peer reset or closed the connection (by error code, any depth). */
export function isConnectionClosedByPeer(error: unknown): boolean {
  let current: unknown = error
  for (let depth = 0; depth < 6 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string' && CLOSED_CODES.has(code)) return true
    current = (current as { cause?: unknown }).cause
  }
  return false
}
