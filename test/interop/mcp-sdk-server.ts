/**
 * The MCP TypeScript SDK's authorization server (`mcpAuthRouter` of @modelcontextprotocol/sdk
 * 1.32) as an interop target: a third, independent implementation of RFC 7591 that many MCP
 * servers deploy as is.
 *
 * The router runs in an express 5 app over HTTPS on 127.0.0.1 (random port) with the project's
 * test certificate (fixtures/tls). Everything OAuth-facing is the SDK's own code: RFC 8414
 * metadata, the registration endpoint (open: no initial access token, no RFC 7592), the
 * authorization endpoint (PKCE S256 required by the SDK), the token endpoint (client_secret_post
 * or none; local PKCE verification) and revocation. The SDK leaves storage and the user to an
 * `OAuthServerProvider`; ours is a small in-memory one written for this test:
 *
 * - clients: a Map; `registerClient` stores what the SDK hands it, unchanged;
 * - authorize(): no login page; a fixed test user approves at once and the browser is redirected
 *   straight back with `code` and `state` (302);
 * - codes: one-time, 10 minutes, bound to the client; a replayed code revokes what it issued;
 * - refresh tokens: issued only to clients that registered the `refresh_token` grant, bound to
 *   the client, rotated on use; replaying a rotated one revokes its whole family (RFC 9700
 *   §4.14.2);
 * - scopes: a request may only ask for scopes the client registered (else `scopes_supported`).
 *
 * The SDK's built-in rate limits (20 registrations an hour, ...) are turned off
 * (`rateLimit: false`), since one suite run registers far more clients than that.
 *
 * Usage: `node bin/run-ts.js test/interop/mcp-sdk-server.ts` prints the env variables the
 * `mcp-sdk` entry of targets.yaml reads, and serves until interrupted.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { OAuthRegisteredClientsStore } from '@modelcontextprotocol/sdk/server/auth/clients.js'
import {
  InvalidGrantError,
  InvalidScopeError,
  InvalidTargetError,
  UnauthorizedClientError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js'
import type {
  AuthorizationParams,
  OAuthServerProvider,
} from '@modelcontextprotocol/sdk/server/auth/provider.js'
import { requireBearerAuth } from '@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js'
import {
  getOAuthProtectedResourceMetadataUrl,
  mcpAuthRouter,
} from '@modelcontextprotocol/sdk/server/auth/router.js'
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js'
import type {
  OAuthClientInformationFull,
  OAuthTokenRevocationRequest,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js'
import { startLoopbackHttps } from './support/https-server.ts'

/** The scope the SDK advertises in `scopes_supported` and the harness asks for. */
export const MCP_SCOPE = 'mcp:tools'
/** The end user authorize() approves (there is no login page). */
export const TEST_USER = 'interop-user'

const CODE_TTL_MS = 10 * 60 * 1000
const ACCESS_TOKEN_TTL_S = 3600

export interface McpSdkServer {
  /** As the SDK publishes it: `new URL(origin).href`, i.e. with a trailing slash. */
  issuer: string
  origin: string
  port: number
  /** PEM of the CA that signed the server certificate. */
  caFile: string
  /** Environment variables the `mcp-sdk` entry of targets.yaml reads. */
  env: Record<string, string>
  close(): Promise<void>
}


/** The part of express 5 used here (the package ships no type declarations). */
interface ExpressApp {
  (req: IncomingMessage, res: ServerResponse): void
  use(handler: unknown, ...handlers: unknown[]): void
  disable(setting: string): void
}
type ExpressFactory = () => ExpressApp
/** The response surface authorize() needs (express's `res`). */
interface RedirectResponse {
  redirect(status: number, url: string): void
}

interface IssuedCode {
  clientId: string
  params: AuthorizationParams
  scopes: string[]
  expiresAt: number
  used: boolean
  /** Tokens minted from this code, revoked when the code is replayed (RFC 6749 §4.1.2). */
  issued: string[]
}

interface IssuedToken {
  kind: 'access' | 'refresh'
  clientId: string
  scopes: string[]
  /** ms since epoch; refresh tokens do not expire here. */
  expiresAt?: number
  resource?: URL
  /** Refresh tokens: the rotation family (one per code redemption). */
  family?: string
}

/** In-memory client registry; registration stores exactly what the SDK's handler built. */
class MemoryClientsStore implements OAuthRegisteredClientsStore {
  readonly clients = new Map<string, OAuthClientInformationFull>()

  getClient(clientId: string): OAuthClientInformationFull | undefined {
    return this.clients.get(clientId)
  }

  registerClient(
    client: Omit<OAuthClientInformationFull, 'client_id' | 'client_id_issued_at'>,
  ): OAuthClientInformationFull {
    const full = client as OAuthClientInformationFull
    this.clients.set(full.client_id, full)
    return full
  }
}

function registeredGrants(client: OAuthClientInformationFull): string[] {
  // RFC 7591 §2: an omitted grant_types means ["authorization_code"].
  return client.grant_types ?? ['authorization_code']
}

/**
 * A small in-memory provider: auto-approving user, one-time codes, refresh-token rotation.
 * PKCE is verified by the SDK's token handler (skipLocalPkceValidation is left unset).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
class InteropProvider implements OAuthServerProvider {
  /** The one MCP server (RFC 8707 resource) this authorization server issues tokens for. */
  private readonly mcpServer: URL
  constructor(mcpServer: URL) {
    this.mcpServer = mcpServer
  }

  readonly clientsStore = new MemoryClientsStore()
  private readonly codes = new Map<string, IssuedCode>()
  private readonly tokens = new Map<string, IssuedToken>()
  /** Refresh tokens already rotated away, by value: their family, for reuse detection. */
  private readonly rotated = new Map<string, string>()

  async authorize(
    client: OAuthClientInformationFull,
    params: AuthorizationParams,
    res: RedirectResponse,
  ): Promise<void> {
    if (!registeredGrants(client).includes('authorization_code')) {
      throw new UnauthorizedClientError('the client did not register the authorization_code grant')
    }
    this.checkResource(params.resource)
    const scopes = this.grantableScopes(client, params.scopes)
    const code = randomBytes(24).toString('base64url')
    this.codes.set(code, {
      clientId: client.client_id,
      params,
      scopes,
      expiresAt: Date.now() + CODE_TTL_MS,
      used: false,
      issued: [],
    })
    // No login page: the fixed test user approves at once.
    const target = new URL(params.redirectUri)
    target.searchParams.set('code', code)
    if (params.state !== undefined) target.searchParams.set('state', params.state)
    res.redirect(302, target.href)
  }

  async challengeForAuthorizationCode(
    client: OAuthClientInformationFull,
    authorizationCode: string,
  ): Promise<string> {
    return this.liveCode(client, authorizationCode).params.codeChallenge
  }

  async exchangeAuthorizationCode(
    client: OAuthClientInformationFull,
    authorizationCode: string,
    _codeVerifier?: string,
    redirectUri?: string,
    resource?: URL,
  ): Promise<OAuthTokens> {
    const code = this.liveCode(client, authorizationCode)
    if (redirectUri !== undefined && redirectUri !== code.params.redirectUri) {
      throw new InvalidGrantError('redirect_uri does not match the authorization request')
    }
    this.checkResource(resource, code.params.resource)
    code.used = true
    const tokens = this.mint(client, code.scopes, resource ?? code.params.resource)
    code.issued.push(tokens.access_token, ...(tokens.refresh_token ? [tokens.refresh_token] : []))
    return tokens
  }

  async exchangeRefreshToken(
    client: OAuthClientInformationFull,
    refreshToken: string,
    scopes?: string[],
    resource?: URL,
  ): Promise<OAuthTokens> {
    if (!registeredGrants(client).includes('refresh_token')) {
      throw new UnauthorizedClientError('the client did not register the refresh_token grant')
    }
    const replayedFamily = this.rotated.get(refreshToken)
    if (replayedFamily !== undefined) {
      for (const [value, token] of this.tokens)
        if (token.family === replayedFamily) this.tokens.delete(value)
      throw new InvalidGrantError('refresh token already used')
    }
    const stored = this.tokens.get(refreshToken)
    if (!stored || stored.kind !== 'refresh' || stored.clientId !== client.client_id) {
      throw new InvalidGrantError('invalid refresh token')
    }
    const requested = scopes ?? stored.scopes
    if (requested.some((scope) => !stored.scopes.includes(scope))) {
      throw new InvalidScopeError('a requested scope was not granted originally')
    }
    this.tokens.delete(refreshToken)
    this.rotated.set(refreshToken, stored.family ?? '')
    return this.mint(client, requested, resource ?? stored.resource, stored.family)
  }

  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const stored = this.tokens.get(token)
    if (!stored || stored.kind !== 'access' || (stored.expiresAt ?? 0) < Date.now()) {
      throw new InvalidGrantError('invalid or expired access token')
    }
    return {
      token,
      clientId: stored.clientId,
      scopes: stored.scopes,
      expiresAt: Math.floor((stored.expiresAt ?? 0) / 1000),
      ...(stored.resource ? { resource: stored.resource } : {}),
    }
  }

  async revokeToken(
    client: OAuthClientInformationFull,
    request: OAuthTokenRevocationRequest,
  ): Promise<void> {
    const stored = this.tokens.get(request.token)
    if (stored?.clientId === client.client_id) this.tokens.delete(request.token)
  }

  /**
   * The SDK hands `resource` to the provider unchecked: ours serves one MCP server, and a grant's
   * token request may not name another (RFC 8707 §2, the SDK's InvalidTargetError).
   */
  private checkResource(resource?: URL, granted?: URL): void {
    if (resource === undefined) return
    if (resource.href !== this.mcpServer.href || (granted && granted.href !== resource.href))
      throw new InvalidTargetError(`resource not served here: ${resource.href}`)
  }

  /** A code that exists, belongs to this client and is neither expired nor used. */
  private liveCode(client: OAuthClientInformationFull, value: string): IssuedCode {
    const code = this.codes.get(value)
    if (!code || code.clientId !== client.client_id || code.expiresAt < Date.now()) {
      throw new InvalidGrantError('invalid authorization code')
    }
    if (code.used) {
      for (const token of code.issued) this.tokens.delete(token)
      throw new InvalidGrantError('authorization code already used')
    }
    return code
  }

  /** Requested scopes must be among the client's registered ones (else the supported ones). */
  private grantableScopes(client: OAuthClientInformationFull, requested?: string[]): string[] {
    const allowed = client.scope ? client.scope.split(' ').filter(Boolean) : [MCP_SCOPE]
    const asked = (requested ?? []).filter(Boolean)
    if (asked.length === 0) return allowed
    const unknown = asked.filter((scope) => !allowed.includes(scope))
    if (unknown.length > 0) throw new InvalidScopeError(`scope not allowed: ${unknown.join(' ')}`)
    return asked
  }

  private mint(
    client: OAuthClientInformationFull,
    scopes: string[],
    resource?: URL,
    family: string = randomUUID(),
  ): OAuthTokens {
    const accessToken = randomBytes(32).toString('base64url')
    this.tokens.set(accessToken, {
      kind: 'access',
      clientId: client.client_id,
      scopes,
      expiresAt: Date.now() + ACCESS_TOKEN_TTL_S * 1000,
      ...(resource ? { resource } : {}),
    })
    const tokens: OAuthTokens = {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: scopes.join(' '),
    }
    if (registeredGrants(client).includes('refresh_token')) {
      const refreshToken = `${randomUUID()}.${randomBytes(16).toString('base64url')}`
      this.tokens.set(refreshToken, {
        kind: 'refresh',
        clientId: client.client_id,
        scopes,
        family,
        ...(resource ? { resource } : {}),
      })
      tokens.refresh_token = refreshToken
    }
    return tokens
  }
}

/**
 * The MCP server behind the bearer middleware: the SDK's stateful Streamable HTTP transport, one
 * per session, as SDK deployments wire it. A request without Mcp-Session-Id gets a fresh
 * transport, which opens a session on `initialize` and answers anything else 400 (MCP
 * transports, Session Management); an unknown session id gets 404.
 */
function mcpSessions(): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const sessions = new Map<string, StreamableHTTPServerTransport>()
  return async (req, res) => {
    const header = req.headers['mcp-session-id']
    if (typeof header === 'string') {
      const transport = sessions.get(header)
      if (transport) return transport.handleRequest(req, res)
      res.writeHead(404, { 'content-type': 'application/json' })
      const error = { code: -32001, message: 'Session not found' }
      res.end(JSON.stringify({ jsonrpc: '2.0', id: null, error }))
      return
    }
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (id) => void sessions.set(id, transport),
    })
    transport.onclose = () => {
      if (transport.sessionId) sessions.delete(transport.sessionId)
    }
    const server = new McpServer({ name: 'dcr-conformance interop MCP server', version: '1' })
    await server.connect(transport)
    await transport.handleRequest(req, res)
  }
}

/**
 * Start the SDK's authorization server on 127.0.0.1 (random port) over HTTPS.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export async function startMcpSdkServer(): Promise<McpSdkServer> {
  const https = await startLoopbackHttps()
  const { server, port, origin } = https
  const issuerUrl = new URL(origin)

  const require = createRequire(import.meta.url)
  const express = require('express') as ExpressFactory
  const app = express()
  app.disable('x-powered-by')
  // An MCP server beside the router, as SDK deployments have it: RFC 9728 metadata from the
  // router (resourceServerUrl), the SDK's bearer middleware in front of /mcp.
  const mcpServer = new URL('/mcp', origin)
  const provider = new InteropProvider(mcpServer)
  app.use(
    mcpAuthRouter({
      provider,
      issuerUrl,
      resourceServerUrl: mcpServer,
      scopesSupported: [MCP_SCOPE],
      clientRegistrationOptions: { rateLimit: false },
      authorizationOptions: { rateLimit: false },
      tokenOptions: { rateLimit: false },
      revocationOptions: { rateLimit: false },
    }),
  )
  app.use(
    '/mcp',
    requireBearerAuth({
      verifier: provider,
      resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpServer),
      expectedResource: mcpServer,
      // Also the 401's scope hint: the SDK adds `scope` only for required scopes.
      requiredScopes: [MCP_SCOPE],
    }),
    mcpSessions(),
  )
  server.on('request', app)

  return {
    issuer: issuerUrl.href,
    origin,
    port,
    caFile: https.caFile,
    env: { MCP_SDK_ISSUER: issuerUrl.href, MCP_SDK_MCP_SERVER: mcpServer.href },
    close: () => https.close(),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const running = await startMcpSdkServer()
  for (const [name, value] of Object.entries(running.env)) console.log(`export ${name}=${value}`)
  console.log(`# issuer ${running.issuer}; Ctrl-C stops`)
}
