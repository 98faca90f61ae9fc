/**
 * What the Workers runtime does around a Worker's fetch handler, for
 * test/interop/cloudflare-server.ts: the execution context, the Node request as a Web Request,
 * and the Web Response written back to Node.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import type { ReadableStream as NodeReadableStream } from 'node:stream/web'

/** The execution context a Worker's fetch handler receives, one per request. */
export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
  props: unknown
}

export function executionContext(): ExecutionContext {
  return {
    // Work the handler leaves running after its response: let it finish, report failures.
    waitUntil: (promise) => {
      promise.catch((error: unknown) => console.error('waitUntil task failed:', error))
    },
    // There is no origin server to pass through to: an exception answers 500 (see below).
    passThroughOnException: () => {},
    props: {},
  }
}

/** HTTP/1.1 connection headers, which do not belong to the request a Worker sees. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
])

/** The Node request as the Worker sees it: its URL on `origin`, method, headers and body. */
export async function toWebRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const headers = new Headers()
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index]!
    if (!HOP_BY_HOP.has(name.toLowerCase())) headers.append(name, req.rawHeaders[index + 1]!)
  }
  const method = req.method ?? 'GET'
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const body = method === 'GET' || method === 'HEAD' ? undefined : Buffer.concat(chunks)
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body, redirect: 'manual' })
}

/** Write a Worker's Response to Node: status, every header (each Set-Cookie apart), body. */
export async function writeResponse(
  res: ServerResponse,
  response: Response,
  method: string,
): Promise<void> {
  const headers: Record<string, string | string[]> = {}
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie') headers[name] = value
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) headers['set-cookie'] = cookies
  // A null body is an empty one with a length, not an empty chunked one (HEAD keeps GET's).
  const bodiless = response.status === 204 || response.status === 304 || method === 'HEAD'
  if (response.body === null && !bodiless && !('content-length' in headers)) {
    headers['content-length'] = '0'
  }
  res.writeHead(response.status, response.statusText || undefined, headers)
  if (response.body === null || method === 'HEAD') {
    await response.body?.cancel()
    res.end()
    return
  }
  await new Promise<void>((done, fail) => {
    Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)
      .on('error', fail)
      .pipe(res)
      .on('finish', done)
      .on('error', fail)
  })
}
