/**
 * A tiny hostile target for real-process tests: a node http server on 127.0.0.1 that behaves as
 * a plain DCR server (discovery, open registration, RFC 7592 read/delete) unless the test's
 * scripted handler answers first, plus a targets file naming it. Every request is recorded (with
 * its Authorization header), so a test can count what reached the server.
 *
 *   const target = await startHostileTarget({ handle: (req, res) => { ... return true } })
 *   startCli(['--target', target.name, '--targets', target.targetsFile, ...])
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string
  path: string
  authorization?: string
  /** The first 4 KiB of the body. */
  body: string
}

/** What a scripted handler gets: the request with its whole body, and the target's addresses. */
export interface HostileRequest {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  body: string
  origin: string
  issuer: string
}

/**
 * Answers a request its own way and returns true, or returns false to let the plain behaviour
 * answer. It may also never answer (a black hole) or destroy the socket (a reset).
 */
export type HostileHandler = (request: HostileRequest) => boolean | Promise<boolean>

export interface HostileTarget {
  name: string
  origin: string
  issuer: string
  targetsFile: string
  requests: RecordedRequest[]
  /** Clients registered by the plain behaviour and not deleted. */
  clients: Map<string, PlainClient>
  /** Every RAT and client secret the plain behaviour issued (what must never leave this origin). */
  issued: string[]
  close(): Promise<void>
}

export interface HostileOptions {
  handle?: HostileHandler
  /** Capabilities in the targets file (default: plain_http, rfc7592, delete). */
  capabilities?: string[]
  /** Extra members of the target in the targets file. */
  target?: Record<string, unknown>
  /** Serve https with this key and certificate (PEM) instead of http. */
  tls?: { key: string; cert: string }
  /** The server's limit on a request's head (node's default is 16 KiB). */
  maxHeaderSize?: number
  /** The client_id the plain behaviour issues (default `client-<random>`). */
  clientId?: () => string
}

/** A client of the plain behaviour: its RAT and the metadata it registered (for reads). */
export interface PlainClient {
  clientId: string
  rat: string
  metadata: object
}

export async function startHostileTarget(options: HostileOptions = {}): Promise<HostileTarget> {
  const requests: RecordedRequest[] = []
  const clients = new Map<string, PlainClient>()
  const issued: string[] = []
  let origin = ''
  const issuer = () => `${origin}/oauth`

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
      body: body.slice(0, 4096),
    })
    const request = { req, res, url, body, origin, issuer: issuer() }
    if (options.handle && (await options.handle(request))) return
    plain(request, { clients, issued, clientId: options.clientId })
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => res.destroy())
  }
  const serverOptions = { maxHeaderSize: options.maxHeaderSize ?? 16 * 1024 }
  const server: Server = options.tls
    ? createTlsServer({ ...serverOptions, ...options.tls }, listener)
    : createServer(serverOptions, listener)
  // Longer than the harness's keep-alive (harness/http/client.ts), like a well-behaved server.
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const scheme = options.tls ? 'https' : 'http'
  origin = `${scheme}://127.0.0.1:${(server.address() as AddressInfo).port}`
  const name = 'hostile'
  const dir = await mkdtemp(join(tmpdir(), 'dcrc-hostile-'))
  const targetsFile = join(dir, 'targets.yaml')
  const target = {
    issuer: issuer(),
    capabilities: options.capabilities ?? ['plain_http', 'rfc7592', 'delete'],
    ...options.target,
  }
  // JSON is YAML.
  await writeFile(targetsFile, JSON.stringify({ [name]: target }, null, 2))
  return {
    name,
    origin,
    issuer: issuer(),
    targetsFile,
    requests,
    clients,
    issued,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

/** The plain behaviour: just enough of RFC 8414, RFC 7591 and RFC 7592 for scenarios to run. */
/** Whether `path` is one of the two well-known discovery URLs of the issuer `${origin}/oauth`. */
export function isDiscoveryPath(path: string): boolean {
  return (
    path === '/oauth/.well-known/openid-configuration' ||
    path === '/.well-known/oauth-authorization-server/oauth'
  )
}

/** The plain discovery document (RFC 8414 §2), for a handler to serve as it is or altered. */
export function discoveryDocument(issuer: string): Record<string, unknown> {
  return {
    issuer,
    registration_endpoint: `${issuer}/register`,
    token_endpoint: `${issuer}/token`,
    authorization_endpoint: `${issuer}/authorize`,
    jwks_uri: `${issuer}/jwks`,
    response_types_supported: ['code'],
    grant_types_supported: ['authorization_code'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'none'],
    scopes_supported: ['read', 'write'],
  }
}

interface PlainState {
  clients: Map<string, PlainClient>
  issued: string[]
  clientId: (() => string) | undefined
}

function plain(request: HostileRequest, { clients, issued, clientId: newClientId }: PlainState): void {
  const { req, res, url, body, issuer } = request
  const path = url.pathname
  if (isDiscoveryPath(path)) return json(res, 200, discoveryDocument(issuer))
  if (path === '/oauth/jwks') return json(res, 200, { keys: [] })
  if (path === '/oauth/register' && req.method === 'POST') {
    let metadata: unknown
    try {
      metadata = JSON.parse(body)
    } catch {
      return json(res, 400, { error: 'invalid_client_metadata' })
    }
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
      return json(res, 400, { error: 'invalid_client_metadata' })
    }
    const clientId = newClientId?.() ?? `client-${randomBytes(6).toString('hex')}`
    const rat = `rat-${randomBytes(12).toString('hex')}`
    clients.set(handleOf(clientId), { clientId, rat, metadata })
    const answer = registered(issuer, clientId, rat, metadata)
    issued.push(rat, answer.client_secret as string)
    return json(res, 201, answer)
  }
  const manage = /^\/oauth\/register\/([^/]+)$/.exec(path)
  if (manage) {
    const handle = manage[1]!
    const client = clients.get(handle)
    if (!client || req.headers.authorization !== `Bearer ${client.rat}`) {
      return json(res, 401, { error: 'invalid_token' })
    }
    if (req.method === 'DELETE') {
      clients.delete(handle)
      res.writeHead(204)
      return void res.end()
    }
    if (req.method === 'GET') {
      return json(res, 200, registered(issuer, client.clientId, client.rat, client.metadata))
    }
  }
  json(res, 404, { error: 'not_found' })
}

/** A registration answer (RFC 7591 §3.2.1, RFC 7592 §3) for any client_id, however hostile. */
export function registered(
  issuer: string,
  clientId: string,
  rat: string,
  metadata: object,
): Record<string, unknown> {
  return {
    ...metadata,
    client_id: clientId,
    client_secret: `secret-${randomBytes(12).toString('hex')}`,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    client_secret_expires_at: 0,
    registration_access_token: rat,
    registration_client_uri: `${issuer}/register/${handleOf(clientId)}`,
  }
}

/**
 * The path segment of a client's registration_client_uri: the client_id itself, or a hash of a
 * huge one, so the answer does not carry a huge id twice (RFC 7592 §3 leaves the URI to the server).
 */
export function handleOf(clientId: string): string {
  if (clientId.length <= 256) return encodeURIComponent(clientId)
  return `h-${createHash('sha256').update(clientId).digest('hex')}`
}
