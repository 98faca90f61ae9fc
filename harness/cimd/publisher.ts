/**
 * The document publisher: a small HTTPS (or, behind a TLS-terminating tunnel, HTTP) server on
 * this machine that serves the Client ID Metadata Documents scenarios publish, so the target's
 * authorization server can fetch them (draft-ietf-oauth-client-id-metadata-document-02 §3, §5).
 * It answers exactly what a scenario asked for (status, headers, body, a reset connection) and
 * counts what it was asked: requests per document and connections per listener.
 */
import { randomBytes } from 'node:crypto'
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { HarnessError } from '../errors.ts'

/** What the publisher answers at one document URL. */
export interface PublishedResponse {
  status: number
  /** Header names in lower case. */
  headers: Record<string, string>
  body: string
  /** Close the connection without an answer: a document that cannot be fetched. */
  reset?: boolean
}

export interface PublisherOptions {
  /** Where to listen: host and port (`127.0.0.1:0` picks a free port). */
  host: string
  port: number
  /** PEM certificate and key; without them the listener speaks cleartext HTTP (a tunnel's TLS). */
  tls?: { cert: string; key: string }
  /** The https URL at which the target reaches the listener; default its own https origin. */
  publicBaseUrl?: string
}

/** A listener the target was not told to trust, serving the same documents (the SSRF probe). */
export interface UntrustedListener {
  origin: string
  /** TCP connections accepted so far: a guarded server never even connects (draft §8.6). */
  connections(): number
}

export interface CimdPublisher {
  /** The public base URL documents are published under (no trailing slash). */
  readonly baseUrl: string
  /** A fresh document URL under `baseUrl`, nothing published at it yet. */
  newUrl(): string
  /** Serve `response` at `url` (a URL of `baseUrl` or of an untrusted listener), replacing any earlier one. */
  publish(url: string, response: PublishedResponse): void
  /** Requests received for `url` on the listener its origin names. */
  requests(url: string): number
  /** Connections the listener of `url` accepted. */
  connections(url: string): number
  /** Starts one more listener on 127.0.0.1 with the same documents, under another origin. */
  untrustedListener(): Promise<UntrustedListener>
  close(): Promise<void>
}

interface Listening {
  server: Server
  origin: string
  connections: number
}

type Routes = Map<string, PublishedResponse>

function answer(routes: Routes, counts: Map<string, number>, origin: string) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const path = new URL(request.url ?? '/', 'http://publisher.invalid').pathname
    const key = `${origin}${path}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
    const published =
      request.method === 'GET' || request.method === 'HEAD' ? routes.get(path) : undefined
    if (!published) {
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405).end()
      return
    }
    if (published.reset) {
      request.socket.destroy()
      return
    }
    response.writeHead(published.status, published.headers)
    response.end(request.method === 'HEAD' ? undefined : published.body)
  }
}

async function listen(
  options: Pick<PublisherOptions, 'host' | 'port' | 'tls'>,
  handler: (origin: string) => (request: IncomingMessage, response: ServerResponse) => void,
): Promise<Listening> {
  const server = options.tls ? createHttpsServer({ ...options.tls }) : createHttpServer()
  const state: Listening = { server, origin: '', connections: 0 }
  server.on('connection', (socket) => {
    state.connections += 1
    // A reset document or an aborted fetch must not keep the run alive.
    socket.on('error', () => undefined)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error) =>
      reject(
        new HarnessError(
          'E_CONFIG',
          `cimd: cannot listen on ${options.host}:${options.port}: ${error.message}`,
        ),
      ),
    )
    server.listen(options.port, options.host, () => resolve())
  })
  const { port } = server.address() as AddressInfo
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  state.origin = `${options.tls ? 'https' : 'http'}://${host}:${port}`
  server.on('request', handler(state.origin))
  return state
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections()
  return new Promise((resolve) => server.close(() => resolve()))
}

/** Starts the publisher's own listener. */
export async function startPublisher(options: PublisherOptions): Promise<CimdPublisher> {
  const routes: Routes = new Map()
  const counts = new Map<string, number>()
  const handler = (origin: string) => answer(routes, counts, origin)
  const main = await listen(options, handler)
  const untrusted: Listening[] = []
  // Paths under a base URL with a path (a tunnel forwarding `/dcr/...`) keep that prefix.
  const baseUrl = (options.publicBaseUrl ?? main.origin).replace(/\/+$/, '')

  /** The listener serving `url` and its path: the public base URL maps to the main listener. */
  const locate = (url: string): { listening: Listening; path: string } => {
    const parsed = new URL(url)
    if (url.startsWith(`${baseUrl}/`)) return { listening: main, path: parsed.pathname }
    const other = untrusted.find((entry) => entry.origin === parsed.origin)
    if (other) return { listening: other, path: parsed.pathname }
    throw new HarnessError('E_FIXTURE', `cimd: ${url} is not a URL of this publisher (${baseUrl})`)
  }
  return {
    baseUrl,
    newUrl: () => `${baseUrl}/cimd/${randomBytes(8).toString('hex')}`,
    publish(url, response) {
      routes.set(locate(url).path, response)
    },
    requests(url) {
      const { listening, path } = locate(url)
      return counts.get(`${listening.origin}${path}`) ?? 0
    },
    connections: (url) => locate(url).listening.connections,
    async untrustedListener() {
      const listening = await listen(
        { host: '127.0.0.1', port: 0, ...(options.tls ? { tls: options.tls } : {}) },
        handler,
      )
      untrusted.push(listening)
      return { origin: listening.origin, connections: () => listening.connections }
    },
    async close() {
      await Promise.all([main, ...untrusted].map((entry) => closeServer(entry.server)))
    },
  }
}
