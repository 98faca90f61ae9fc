/**
 * A small, real DCR server on loopback for engine tests (not the reference server): discovery,
 * a token endpoint for client_credentials IATs, registration with RFC 7592 management, and
 * deliberately broken modes for hostile-target tests. It counts every request it receives.
 */
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export type ToyMode =
  | 'good'
  /** Registration answers 200 instead of 201. */
  | 'status200'
  /** Registration answers an HTML page. */
  | 'html'
  /** Registration answers `application/json` that is not JSON. */
  | 'badjson'
  /** Registration answers a 10 MB body. */
  | 'huge'
  /** Registration never answers. */
  | 'hang'
  /** Registration resets the connection. */
  | 'reset'
  /** Registration answers 429 with a Retry-After the harness does not wait for. */
  | 'rate-limited'

export interface ToyServer {
  issuer: string
  origin: string
  /** Requests received, in order (`METHOD path`). */
  requests: string[]
  /** Bodies of registration requests. */
  registrations: unknown[]
  /** Authorization headers seen at the token endpoint. */
  tokenAuthorizations: string[]
  /** Tokens issued and not yet used (IATs are one-time). */
  clients: Map<string, { rat: string }>
  deleted: string[]
  mode: ToyMode
  close(): Promise<void>
}

export const TOY_IAT_CLIENT = { client_id: 'iat-client', client_secret: 'iat s3cret&:+' }

export async function startToyServer(
  mode: ToyMode = 'good',
  options: {
    requireIat?: boolean
    /** The token endpoint answers 429 with a Retry-After the harness does not wait for. */
    rateLimitTokens?: boolean
    /** Every token request but the IAT client's gets this error, whatever its credentials. */
    tokenError?: { status: number; error: string }
    /** Another origin named as the token endpoint's and the registration_client_uri's (hostile). */
    foreignOrigin?: string
  } = {},
): Promise<ToyServer> {
  const requests: string[] = []
  const registrations: unknown[] = []
  const tokenAuthorizations: string[] = []
  const clients = new Map<string, { rat: string }>()
  const deleted: string[] = []
  const iats = new Set<string>()
  const hanging = new Set<ServerResponse>()
  let origin = ''
  const issuer = () => `${origin}/oauth`

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    requests.push(`${req.method} ${url.pathname}`)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const text = Buffer.concat(chunks).toString('utf8')
    if (url.pathname === '/oauth/.well-known/openid-configuration') {
      return json(res, 200, {
        issuer: issuer(),
        token_endpoint: `${options.foreignOrigin ?? origin}/oauth/token`,
        registration_endpoint: `${origin}/oauth/register`,
        authorization_endpoint: `${origin}/oauth/authorize`,
      })
    }
    if (url.pathname === '/oauth/token' && req.method === 'POST') {
      tokenAuthorizations.push(req.headers.authorization ?? '')
      if (options.rateLimitTokens) {
        res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' })
        return res.end('{"error":"slow_down"}')
      }
      const form = new URLSearchParams(text)
      const expected = `Basic ${Buffer.from(`${encodeForm(TOY_IAT_CLIENT.client_id)}:${encodeForm(TOY_IAT_CLIENT.client_secret)}`).toString('base64')}`
      if (options.tokenError && req.headers.authorization !== expected) {
        return json(res, options.tokenError.status, { error: options.tokenError.error })
      }
      if (
        req.headers.authorization !== expected ||
        form.get('grant_type') !== 'client_credentials'
      ) {
        return json(res, 401, { error: 'invalid_client' })
      }
      const token = `iat-${randomBytes(12).toString('hex')}`
      iats.add(token)
      return json(res, 200, {
        access_token: token,
        token_type: 'Bearer',
        expires_in: 60,
        scope: form.get('scope'),
      })
    }
    if (url.pathname === '/oauth/register' && req.method === 'POST') {
      if (options.requireIat) {
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
        if (!token || !iats.delete(token)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer error="invalid_token"' })
          return res.end()
        }
      }
      switch (mode) {
        case 'html':
          res.writeHead(200, { 'content-type': 'text/html' })
          return res.end('<html><body><h1>Welcome</h1></body></html>')
        case 'badjson':
          res.writeHead(201, { 'content-type': 'application/json' })
          return res.end('{"client_id": "abc", oops')
        case 'huge': {
          res.writeHead(201, { 'content-type': 'application/json' })
          const block = Buffer.alloc(64 * 1024, 'a')
          for (let i = 0; i < 160; i++)
            if (!res.write(block)) await new Promise((r) => res.once('drain', r))
          return res.end()
        }
        case 'hang':
          hanging.add(res)
          return
        case 'reset':
          req.socket.destroy()
          return
        case 'rate-limited':
          // A wait past the harness's bound (harness/http/rate-limit.ts): never retried.
          res.writeHead(429, { 'retry-after': '3600', 'content-type': 'application/json' })
          return res.end('{"error":"slow_down"}')
      }
      let metadata: unknown
      try {
        metadata = JSON.parse(text)
      } catch {
        return json(res, 400, { error: 'invalid_client_metadata' })
      }
      registrations.push(metadata)
      const clientId = `client-${randomBytes(6).toString('hex')}`
      const rat = `rat-${randomBytes(12).toString('hex')}`
      clients.set(clientId, { rat })
      return json(res, mode === 'status200' ? 200 : 201, {
        ...(metadata as object),
        client_id: clientId,
        client_secret: `secret-${randomBytes(12).toString('hex')}`,
        client_secret_expires_at: 0,
        registration_access_token: rat,
        registration_client_uri: `${options.foreignOrigin ?? origin}/oauth/register/${clientId}`,
      })
    }
    const manage = /^\/oauth\/register\/([\w-]+)$/.exec(url.pathname)
    if (manage) {
      const clientId = manage[1]!
      const client = clients.get(clientId)
      if (!client || req.headers.authorization !== `Bearer ${client.rat}`)
        return json(res, 401, { error: 'invalid_token' })
      if (req.method === 'DELETE') {
        clients.delete(clientId)
        deleted.push(clientId)
        res.writeHead(204)
        return res.end()
      }
      if (req.method === 'GET') {
        // Rotates the RAT on every read, as some servers do.
        client.rat = `rat-${randomBytes(12).toString('hex')}`
        return json(res, 200, {
          client_id: clientId,
          registration_access_token: client.rat,
          registration_client_uri: `${origin}${url.pathname}`,
        })
      }
    }
    json(res, 404, { error: 'not_found' })
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const toy: ToyServer = {
    issuer: issuer(),
    origin,
    requests,
    registrations,
    tokenAuthorizations,
    clients,
    deleted,
    mode,
    async close() {
      for (const res of hanging) res.destroy()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
  return toy
}

function encodeForm(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1)
}

/** A loopback server that counts requests and answers 404 (proves nothing was sent). */
export async function startCountingServer(): Promise<{
  url: string
  count(): number
  close(): Promise<void>
}> {
  let count = 0
  const server = createServer((_req, res) => {
    count++
    res.writeHead(404)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    count: () => count,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
