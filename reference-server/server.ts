/**
 * The HTTP(S) server: a small router over one handler per endpoint. Every handler is wrapped so an
 * exception becomes a JSON error response (and one log line), never a crash.
 */
import http from 'node:http'
import https from 'node:https'
import net from 'node:net'
import type { Duplex } from 'node:stream'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ServerContext } from './context.ts'
import { OAuthHttpError } from './http/errors.ts'
import { page, sendHtml, sendJson, sendOAuthError } from './http/respond.ts'
import { paths } from './paths.ts'
import { JsonCrash } from './registration/request-body.ts'
import { authorizeHandler } from './handlers/authorize.ts'
import { errorPageHandler } from './authorize/responses.ts'
import {
  clientConfigurationHandler,
  configurationMethods,
} from './handlers/client-configuration.ts'
import { discoveryHandler } from './handlers/discovery.ts'
import { introspectHandler } from './handlers/introspect.ts'
import { jwksHandler } from './handlers/jwks.ts'
import { loginHandler } from './handlers/login.ts'
import { registrationHandler } from './handlers/registration.ts'
import { revokeHandler } from './handlers/revoke.ts'
import { tokenHandler } from './handlers/token.ts'
import { userinfoHandler } from './handlers/userinfo.ts'
import { mcpEndpointHandler } from './mcp/endpoint.ts'
import { isResourceMetadataPath, resourceMetadataHandler } from './mcp/metadata.ts'
import { mcpPaths } from './mcp/resources.ts'

type Handler = (
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) => Promise<void>

interface Route {
  methods: string[]
  handler: Handler
}

function routesFor(ctx: ServerContext): Map<string, Route> {
  const routes = new Map<string, Route>([
    [paths.openidConfiguration, { methods: ['GET'], handler: discoveryHandler }],
    [paths.jwks, { methods: ['GET'], handler: jwksHandler }],
    [paths.token, { methods: ['POST'], handler: tokenHandler }],
    [paths.authorize, { methods: ['GET', 'POST'], handler: authorizeHandler }],
    [paths.login, { methods: ['POST'], handler: loginHandler }],
    [paths.authorizeError, { methods: ['GET'], handler: errorPageHandler }],
    [
      paths.registration,
      {
        methods: ctx.faults.has('registration-cors-missing') ? ['POST'] : ['POST', 'OPTIONS'],
        handler: registrationHandler,
      },
    ],
    [paths.userinfo, { methods: ['GET', 'POST'], handler: userinfoHandler }],
    [paths.introspect, { methods: ['POST'], handler: introspectHandler }],
    [paths.revoke, { methods: ['POST'], handler: revokeHandler }],
    [mcpPaths.server, { methods: ['GET', 'POST'], handler: mcpEndpointHandler }],
    [mcpPaths.other, { methods: ['GET', 'POST'], handler: mcpEndpointHandler }],
  ])
  if (!ctx.faults.has('rfc8414-missing'))
    routes.set(paths.oauthMetadata, { methods: ['GET'], handler: discoveryHandler })
  return routes
}

const clientPathPrefix = `${paths.registration}/`

/** The request listener. */
export function createListener(
  ctx: ServerContext,
): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = routesFor(ctx)
  return (req, res) => {
    void handle(ctx, routes, req, res)
  }
}

async function handle(
  ctx: ServerContext,
  routes: Map<string, Route>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (ctx.logLevel === 'requests') {
    const started = Date.now()
    ctx.log({ event: 'request', method: req.method, path: (req.url ?? '').split('?')[0] })
    res.on('finish', () =>
      ctx.log({
        event: 'response',
        method: req.method,
        path: (req.url ?? '').split('?')[0],
        status: res.statusCode,
        ms: Date.now() - started,
      }),
    )
    res.on('close', () => {
      if (!res.writableFinished)
        ctx.log({ event: 'aborted', method: req.method, path: (req.url ?? '').split('?')[0] })
    })
  }
  try {
    let url: URL
    try {
      url = new URL(req.url ?? '/', ctx.origin)
    } catch {
      throw new OAuthHttpError(400, 'invalid_request', 'malformed request target')
    }
    const method = req.method ?? 'GET'
    // RFC 9728 metadata lives at the root and under any resource path (path insertion, §3.1).
    const route = isResourceMetadataPath(url.pathname)
      ? { methods: ['GET'], handler: resourceMetadataHandler }
      : routes.get(url.pathname)
    if (url.pathname === paths.registration && !ctx.faults.has('registration-cors-missing')) {
      // Browser-based clients may register (OIDC DCR §3): CORS without credentials. The fault
      // answers the preflight only, so a browser sends the POST but may not read its answer.
      if (method === 'OPTIONS' || !ctx.faults.has('registration-cors-preflight-only')) {
        res.setHeader(
          'access-control-allow-origin',
          typeof req.headers.origin === 'string' ? req.headers.origin : '*',
        )
        res.setHeader('access-control-expose-headers', 'WWW-Authenticate')
      }
      res.setHeader('vary', 'Origin')
      if (method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          ...(ctx.faults.has('registration-cors-headers-missing')
            ? {}
            : { 'access-control-allow-headers': 'content-type, authorization' }),
          'access-control-max-age': '600',
          'content-length': 0,
        })
        res.end()
        return
      }
    }
    if (route) {
      if (!route.methods.includes(method)) throw methodNotAllowed(route.methods)
      await route.handler(ctx, req, res, url)
      return
    }
    if (url.pathname.startsWith(clientPathPrefix)) {
      const segment = url.pathname.slice(clientPathPrefix.length)
      let clientId: string | undefined
      try {
        clientId = segment && !segment.includes('/') ? decodeURIComponent(segment) : undefined
      } catch {
        clientId = undefined
      }
      if (clientId !== undefined) {
        const patchFault = method === 'PATCH' && ctx.faults.has('config-patch-accepted')
        if (!configurationMethods.includes(method) && !patchFault)
          throw methodNotAllowed(configurationMethods)
        await clientConfigurationHandler(ctx, req, res, url, clientId)
        return
      }
    }
    throw new OAuthHttpError(404, 'not_found', `no endpoint at ${url.pathname}`)
  } catch (error) {
    respondToError(ctx, req, res, error)
  }
}

function methodNotAllowed(methods: string[]): OAuthHttpError {
  return new OAuthHttpError(
    405,
    'invalid_request',
    `method not allowed (allowed: ${methods.join(', ')})`,
    { allow: methods.join(', ') },
  )
}

function respondToError(
  ctx: ServerContext,
  req: IncomingMessage,
  res: ServerResponse,
  error: unknown,
): void {
  if (res.headersSent) {
    res.destroy()
    return
  }
  if (error instanceof OAuthHttpError) {
    sendOAuthError(res, error.status, error.error, error.message, error.headers)
    return
  }
  if (error instanceof JsonCrash) {
    sendHtml(res, 500, page('Internal Server Error', `<pre>SyntaxError: ${error.message}</pre>`))
    return
  }
  ctx.log({
    level: 'error',
    event: 'handler_exception',
    method: req.method,
    path: (req.url ?? '').split('?')[0],
    error: String(error),
    stack: (error as Error)?.stack?.split('\n').slice(0, 4).join(' | '),
  })
  sendJson(
    res,
    500,
    { error: 'server_error', error_description: 'internal error' },
    { 'cache-control': 'no-store' },
  )
}

/** A listening socket server and a way to drop every open connection. */
export interface NodeServer {
  server: net.Server
  closeAllConnections(): void
}

/** Creates the node server with limits for slow or hostile clients. */
export function createNodeServer(
  ctx: ServerContext,
  tls?: { cert: string; key: string },
): NodeServer {
  const listener = createListener(ctx)
  const options = {
    requestTimeout: ctx.config.limits.requestTimeoutMs,
    headersTimeout: ctx.config.limits.headersTimeoutMs,
    // Longer than the harness keeps an idle socket (harness/http/client.ts, at most 10 s), so the
    // harness, not the server, ends a kept-alive connection: no request meets a closing socket.
    keepAliveTimeout: 30_000,
    // How often request/headers timeouts are enforced (Node's default is 30 s).
    connectionsCheckingInterval: Math.min(1_000, ctx.config.limits.headersTimeoutMs),
    maxHeaderSize: 16 * 1024,
  }
  const plain = http.createServer(options, listener)
  plain.on('clientError', clientError)
  if (!tls) return { server: plain, closeAllConnections: () => plain.closeAllConnections() }
  const secure = https.createServer({ ...options, cert: tls.cert, key: tls.key }, listener)
  secure.on('clientError', clientError)
  if (!ctx.faults.has('plain-http-accepted'))
    return { server: secure, closeAllConnections: () => secure.closeAllConnections() }
  // The fault: sniff the first byte (0x16 = TLS handshake) and serve cleartext HTTP on the TLS port.
  const sniffer = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      socket.pause()
      socket.unshift(chunk)
      ;(chunk[0] === 0x16 ? secure : plain).emit('connection', socket)
      process.nextTick(() => socket.resume())
    })
  })
  return {
    server: sniffer,
    closeAllConnections: () => {
      plain.closeAllConnections()
      secure.closeAllConnections()
    },
  }
}

function clientError(err: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy()
    return
  }
  const status =
    err.code === 'HPE_HEADER_OVERFLOW' ? 431 : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : 400
  const body = JSON.stringify({
    error: 'invalid_request',
    error_description: 'malformed or incomplete HTTP request',
  })
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  )
}
