/**
 * The reverse proxy in front of an interop server that cannot give the harness what it needs by
 * itself: TLS on the loopback origin (fixtures/tls), and registrations passed on one at a time
 * where the server races on concurrent ones (test/interop/lemonldap-server.ts,
 * glewlwyd-server.ts say why). Every other request is forwarded as it came, at once.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http'
import { request as httpsRequest } from 'node:https'

export interface ForwardingOptions {
  /** The server's own origin (http:// or https://). */
  upstream: string
  /** PEM of the CA that signed an https upstream's certificate. */
  ca?: string
  /** Headers set on every forwarded request (a repair of the server's reading of them). */
  headers?: (req: IncomingMessage) => Record<string, string>
  /** Whether a request is one to pass on alone, after the one before it has been answered. */
  serialized?: (req: IncomingMessage) => boolean
  /** How long to wait before a serialized request, given when the previous one was answered. */
  waitBefore?: (previousAnsweredAt: number) => number
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void

export function forwardingProxy(options: ForwardingOptions): Handler {
  let queue: Promise<void> = Promise.resolve()
  let answeredAt = 0
  const forward = (req: IncomingMessage, res: ServerResponse) => send(options, req, res)
  return (req, res) => {
    if (!options.serialized?.(req)) {
      void forward(req, res)
      return
    }
    req.pause()
    queue = queue.then(async () => {
      const wait = options.waitBefore?.(answeredAt) ?? 0
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
      await forward(req, res)
      answeredAt = Date.now()
    })
  }
}

/** One request upstream and its answer back; settles when the answer has been passed on. */
function send(options: ForwardingOptions, req: IncomingMessage, res: ServerResponse) {
  return new Promise<void>((done) => {
    const url = `${options.upstream}${req.url ?? '/'}`
    const headers = { ...req.headers, ...options.headers?.(req) }
    const init = { method: req.method, headers, ...(options.ca ? { ca: options.ca } : {}) }
    const upstream = url.startsWith('https:') ? httpsRequest(url, init) : httpRequest(url, init)
    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
      answer.on('end', () => done())
      answer.on('error', () => done())
    })
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' })
      res.end(`proxy: ${error.message}`)
      done()
    })
    req.pipe(upstream)
  })
}
