/**
 * A real HTTPS server on 127.0.0.1 (fixtures/tls certificate) that serves Client ID Metadata
 * Documents for the reference server to fetch, and counts the requests per path.
 */
import https from 'node:https'
import type { AddressInfo } from 'node:net'
import { readFileSync } from 'node:fs'

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/tls/${name}`, import.meta.url), 'utf8')

export const testCa = fixture('ca.pem')

/** What one path answers. */
export interface Answer {
  status?: number
  /** A string is sent as is; anything else as JSON. */
  body?: unknown
  headers?: Record<string, string>
  /** Destroy the connection instead of answering. */
  reset?: boolean
  /** Never answer (for the fetch deadline). */
  hang?: boolean
}

export interface DocumentServer {
  origin: string
  url(path: string): string
  publish(path: string, answer: Answer): void
  /** Requests received for a path (all paths when omitted). */
  count(path?: string): number
  /** Accept headers seen, in order. */
  accepts: string[]
  close(): Promise<void>
}

export async function startDocumentServer(): Promise<DocumentServer> {
  const answers = new Map<string, Answer>()
  const counts = new Map<string, number>()
  const accepts: string[] = []
  const server = https.createServer(
    { cert: fixture('server.pem'), key: fixture('server-key.pem') },
    (req, res) => {
      const path = (req.url ?? '/').split('?')[0]!
      counts.set(path, (counts.get(path) ?? 0) + 1)
      accepts.push(String(req.headers.accept))
      const answer = answers.get(path) ?? { status: 404, body: 'not found' }
      if (answer.reset) return req.socket.destroy()
      if (answer.hang) return
      const body = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body ?? {})
      res.writeHead(answer.status ?? 200, {
        'content-type': 'application/json',
        ...answer.headers,
      })
      res.end(body)
    },
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  // A module-level server (probes.ts) must not keep the test process alive.
  server.unref()
  const origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    url: (path) => `${origin}${path}`,
    publish: (path, answer) => void answers.set(path, answer),
    count: (path) =>
      path === undefined
        ? [...counts.values()].reduce((a, b) => a + b, 0)
        : (counts.get(path) ?? 0),
    accepts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** A public client's document for `url` with one loopback redirect URI. */
export function publicDocument(url: string, extra: Record<string, unknown> = {}) {
  return {
    client_id: url,
    client_name: 'CIMD test client',
    redirect_uris: ['http://127.0.0.1:4000/callback'],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
    scope: 'openid read',
    ...extra,
  }
}
