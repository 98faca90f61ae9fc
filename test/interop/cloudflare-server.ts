/**
 * Cloudflare's @cloudflare/workers-oauth-provider 1.2 (`OAuthProvider`, the one-Worker shape of
 * its README) as an interop target: a fourth, independent implementation of RFC 7591 that many
 * remote MCP servers on Cloudflare Workers deploy as is.
 *
 * The library's own code runs unchanged; only the Workers runtime around it is provided here, in
 * Node, the way Miniflare emulates it locally:
 *
 * - `cloudflare:workers` (the library's one import) resolves to a small shim exporting
 *   `WorkerEntrypoint` (support/cloudflare-workers-hooks.ts registers the resolve hook before the
 *   library is imported; support/cloudflare-workers-shim.ts);
 * - `env.OAUTH_KV` is an in-memory KV namespace (`MemoryKvNamespace`, support/memory-kv.ts): get as text or JSON,
 *   put with `expirationTtl` / `expiration` (at least 60 s ahead, as KV requires) and key
 *   metadata, delete, and list by prefix with limit and cursor, keys in byte order;
 * - each Node request becomes a Web `Request` (https URL on the server's own origin, method,
 *   every header, body) handed to `provider.fetch(request, env, ctx)`, and the `Response` is
 *   written back (status, every header including each Set-Cookie, streamed body).
 *
 * Everything OAuth-facing is the library's: RFC 8414 metadata (issuer: the origin, no trailing
 * slash), open dynamic registration at /register (no initial access token, no RFC 7592), the
 * token endpoint /token (also RFC 7009 revocation), PKCE (S256 only, required for public
 * clients), refresh tokens with rotation, RFC 9207 `iss`, RFC 8707 resource binding, RFC 9728
 * metadata for the protected route /mcp. Every option is left at the library's default except
 * the ones its README names for this shape (routes, `scopesSupported`, `resourceMetadata`,
 * `requiredScopes`, the registration endpoint) and `allowPrivateUseRedirectUris`: its guide names
 * it for native apps and advises leaving it off for MCP servers; it is on here because the target
 * declares native_apps, and it changes redirect-URI validation only.
 *
 * The authorization endpoint is application code in this library (its authorization server
 * reference and consent-page guide, shipped in the package). Ours follows the consent-page
 * guide: GET /authorize validates the request (`parseAuthRequest`), describes it
 * (`describeConsent`, which looks the client up) and starts a consent transaction
 * (`beginConsent`: a one-time handle bound to a `__Host-` cookie, anti-framing headers), then shows
 * one combined sign-in and consent form (username, password, a checkbox per supported scope,
 * ticked where requested, Allow / Deny). POST /authorize signs in the fixed
 * test user `alice` (password random per start), then `approveConsent` with the ticked scopes
 * and `completeAuthorization`, and answers 302 to the client; Deny answers `denyConsent`'s
 * redirect (access_denied). Errors follow the guide's table: an `AuthorizationError` with a
 * validated redirect URI is redirected, any other is shown on a 400 page.
 *
 * The protected route /mcp is a stateless MCP server (the MCP SDK's web-standard Streamable
 * HTTP transport, JSON responses), reached only with an access token the library accepted for
 * that resource; a token without the baseline scope gets the library's `insufficientScope` 403.
 *
 * Usage: `node bin/run-ts.js test/interop/cloudflare-server.ts` prints the env variables the
 * `cloudflare` entry of targets.yaml reads, and serves until interrupted.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { register } from 'node:module'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js'
import {
  WebStandardStreamableHTTPServerTransport,
} from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { startLoopbackHttps } from './support/https-server.ts'
import type { InteropServer } from './support/interop-target.ts'
import { MemoryKvNamespace } from './support/memory-kv.ts'
import {
  executionContext,
  toWebRequest,
  writeResponse,
  type ExecutionContext,
} from './support/worker-http.ts'

/** The authorization server's scope catalogue, as the package's own guides list it. */
export const SCOPES_SUPPORTED = ['mcp:read', 'mcp:write', 'offline_access']
/** The protected resource's baseline scope (`requiredScopes`): its 401 challenge names it. */
export const MCP_SCOPE = 'mcp:read'
/** The one end user. */
export const TEST_USER = 'alice'

export interface CloudflareServer extends InteropServer {
  /** As the library publishes it: the origin, without a trailing slash. */
  issuer: string
  origin: string
  port: number
  /** PEM of the CA that signed the server certificate. */
  caFile: string
}

// ---------------------------------------------------------------------------------------------
// The library's surface used here (its d.ts needs the Workers types, which this project lacks).
// ---------------------------------------------------------------------------------------------

interface AuthRequest {
  clientId: string
  redirectUri: string
  scope: string[]
  state: string
  resource?: string | string[]
  [member: string]: unknown
}

interface ConsentDescription {
  clientId: string
  clientName: string
  clientDomain?: string
  redirectUri: string
  redirectHost: string
  redirectIsLoopback: boolean
  scope: string[]
}

interface OAuthHelpers {
  parseAuthRequest(request: Request): Promise<AuthRequest>
  describeConsent(request: AuthRequest): Promise<ConsentDescription>
  beginConsent(request: AuthRequest): Promise<{ handle: string; headers: Headers }>
  approveConsent(
    request: Request,
    handle: string,
    options?: { scope?: string[] },
  ): Promise<{ request: AuthRequest; headers: Headers }>
  denyConsent(request: Request, handle: string): Promise<{ redirectTo: string; headers: Headers }>
  completeAuthorization(options: {
    request: AuthRequest
    userId: string
    metadata: unknown
    scope: string[]
    props: unknown
  }): Promise<{ redirectTo: string }>
}

interface Env {
  OAUTH_KV: MemoryKvNamespace
  /** Set by the provider before it calls the default handler. */
  OAUTH_PROVIDER?: OAuthHelpers
}

interface ResourceAuth {
  token: string
  audience: string
  scope: string[]
  userId?: string
  clientId?: string
}

interface FetchHandler<Ctx> {
  fetch(request: Request, env: Env, ctx: Ctx): Promise<Response>
}

interface ProviderModule {
  OAuthProvider: new (options: Record<string, unknown>) => {
    fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response>
  }
  AuthorizationError: new (
    code: string,
    options: { description: string },
  ) => Error & { description: string; redirectTo?: string }
  CimdFetchError: new (...args: never[]) => Error
  insufficientScope(auth: ResourceAuth, scope: string[], description?: string): Response
}

let workersModuleRegistered = false

/** Import the library, after making `cloudflare:workers` resolvable (once per process). */
async function importProvider(): Promise<ProviderModule> {
  if (!workersModuleRegistered) {
    register('./support/cloudflare-workers-hooks.ts', import.meta.url)
    workersModuleRegistered = true
  }
  return (await import('@cloudflare/workers-oauth-provider')) as unknown as ProviderModule
}

// ---------------------------------------------------------------------------------------------
// The application: the /authorize page and the protected /mcp route.
// ---------------------------------------------------------------------------------------------

const escapeHtml = (value: string): string =>
  value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`)

/** The consent page must not be framed (RFC 9700 §4.16); beginConsent() sends the same. */
const PAGE_HEADERS = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
}

/** One form: sign in as the user, and allow (or deny) the client the ticked scopes. */
function authorizePage(details: ConsentDescription, handle: string, error?: string): string {
  const name = escapeHtml(details.clientName)
  const origin = details.clientDomain
    ? `Published by <strong>${escapeHtml(details.clientDomain)}</strong>.`
    : 'This app registered itself; its name is not verified.'
  const loopback = details.redirectIsLoopback
    ? '<p><strong>This sends access to an app on your computer.</strong> Continue only if you just started signing in from it.</p>'
    : ''
  // Every scope the server supports, ticked where the client asked for it (the consent-page
  // guide: the user may grant fewer or more, each in scopesSupported). A requested scope the
  // server does not support has no box, so it is left out of the grant (RFC 6749 §3.3).
  const scopes = SCOPES_SUPPORTED.map((scope) => {
    const ticked = details.scope.includes(scope) ? ' checked' : ''
    return `<label><input type="checkbox" name="scope" value="${escapeHtml(scope)}"${ticked}> ${escapeHtml(scope)}</label>`
  }).join('<br>')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${name}</title></head><body>
<h1>Allow ${name} to access your account?</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<p>${origin} Access will be sent to <strong>${escapeHtml(details.redirectHost)}</strong>.</p>
${loopback}
<form method="post">
  <input type="hidden" name="handle" value="${escapeHtml(handle)}">
  <p><label for="username">Username</label> <input id="username" name="username" autocomplete="username" required></p>
  <p><label for="password">Password</label> <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p>${scopes}</p>
  <p><button type="submit" name="decision" value="approve">Allow</button>
  <button type="submit" name="decision" value="deny" formnovalidate>Deny</button></p>
</form>
</body></html>`
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest()

/**
 * The application's /authorize (the package's consent-page guide), on top of its helpers. The
 * consent description shown for a handle is kept until the handle is used or expires, so that a
 * failed sign-in can show the same form again.
 */
function authorizeHandler(lib: ProviderModule, password: string): FetchHandler<ExecutionContext> {
  const shown = new Map<string, { details: ConsentDescription; expires: number }>()
  const remember = (handle: string, details: ConsentDescription): void => {
    const now = Date.now()
    for (const [key, value] of shown) if (value.expires <= now) shown.delete(key)
    shown.set(handle, { details, expires: now + 10 * 60 * 1000 })
  }
  const signedIn = (form: FormData): boolean =>
    form.get('username') === TEST_USER &&
    timingSafeEqual(digest(String(form.get('password') ?? '')), digest(password))

  async function show(oauth: OAuthHelpers, request: Request): Promise<Response> {
    const authRequest = await oauth.parseAuthRequest(request)
    // describeConsent() first: it looks the client up, and a failure leaves nothing in KV.
    const details = await oauth.describeConsent(authRequest)
    const consent = await oauth.beginConsent(authRequest)
    consent.headers.set('Content-Type', 'text/html; charset=utf-8')
    remember(consent.handle, details)
    return new Response(authorizePage(details, consent.handle), { headers: consent.headers })
  }

  async function submit(oauth: OAuthHelpers, request: Request): Promise<Response> {
    const form = await request.formData()
    const handle = String(form.get('handle') ?? '')
    if (form.get('decision') !== 'approve') {
      const denied = await oauth.denyConsent(request, handle)
      shown.delete(handle)
      return new Response(null, { status: 302, headers: denied.headers })
    }
    if (!signedIn(form)) {
      const page = shown.get(handle)
      if (!page) {
        const description = 'This authorization expired or was already used; start again'
        throw new lib.AuthorizationError('invalid_request', { description })
      }
      return new Response(authorizePage(page.details, handle, 'Wrong username or password.'), {
        status: 401,
        headers: PAGE_HEADERS,
      })
    }
    const approved = await oauth.approveConsent(request, handle, {
      scope: form.getAll('scope').map(String),
    })
    shown.delete(handle)
    const { redirectTo } = await oauth.completeAuthorization({
      request: approved.request, // from storage, not from the form
      userId: TEST_USER,
      metadata: {},
      scope: approved.request.scope,
      props: { userId: TEST_USER },
    })
    approved.headers.set('Location', redirectTo)
    return new Response(null, { status: 302, headers: approved.headers })
  }

  return {
    async fetch(request, env) {
      const url = new URL(request.url)
      if (url.pathname !== '/authorize') return new Response('Not found', { status: 404 })
      const oauth = env.OAUTH_PROVIDER!
      try {
        if (request.method === 'GET') return await show(oauth, request)
        if (request.method === 'POST') return await submit(oauth, request)
        return new Response(null, { status: 405, headers: { Allow: 'GET, POST' } })
      } catch (error) {
        return authorizeError(lib, error)
      }
    },
  }
}

/** The consent-page guide's table "Errors: redirect or render?"; anything else is a 500. */
function authorizeError(lib: ProviderModule, error: unknown): Response {
  if (error instanceof lib.AuthorizationError && error.redirectTo) {
    return Response.redirect(error.redirectTo, 302)
  }
  if (error instanceof lib.AuthorizationError || error instanceof lib.CimdFetchError) {
    const message =
      error instanceof lib.AuthorizationError ? error.description : 'This app could not be verified.'
    return new Response(escapeHtml(message), {
      status: 400,
      headers: { 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  throw error
}

/**
 * The protected route: a stateless MCP server (a fresh server and transport per request, JSON
 * responses). The library has validated the token and its audience before this runs; the scope
 * policy is the handler's (the package's resource-server guide); the baseline scope is required.
 */
function mcpHandler(lib: ProviderModule): FetchHandler<ExecutionContext & { auth: ResourceAuth }> {
  return {
    async fetch(request, _env, ctx) {
      if (!ctx.auth.scope.includes(MCP_SCOPE)) return lib.insufficientScope(ctx.auth, [MCP_SCOPE])
      const server = new McpServer({ name: 'dcr-conformance interop MCP server', version: '1' })
      const transport = new WebStandardStreamableHTTPServerTransport({
        sessionIdGenerator: undefined,
        enableJsonResponse: true,
      })
      await server.connect(transport)
      return transport.handleRequest(request)
    },
  }
}

/**
 * Start the library's OAuthProvider on 127.0.0.1 (random port) over HTTPS.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3
 */
export async function startCloudflareServer(): Promise<CloudflareServer> {
  const lib = await importProvider()
  const https = await startLoopbackHttps()
  const { server, port, origin } = https
  const password = randomBytes(12).toString('base64url')
  const mcpServer = `${origin}/mcp`

  const provider = new lib.OAuthProvider({
    apiRoute: '/mcp',
    apiHandler: mcpHandler(lib),
    defaultHandler: authorizeHandler(lib, password),
    authorizeEndpoint: '/authorize',
    tokenEndpoint: '/token',
    clientRegistrationEndpoint: '/register',
    scopesSupported: SCOPES_SUPPORTED,
    // RFC 8252 §7.1 private-use schemes for native apps (the guide: off for MCP-only servers).
    allowPrivateUseRedirectUris: true,
    resourceMetadata: { resource: mcpServer },
    requiredScopes: [MCP_SCOPE],
  })
  const env: Env = { OAUTH_KV: new MemoryKvNamespace() }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const method = req.method ?? 'GET'
    toWebRequest(req, origin)
      .then((request) => provider.fetch(request, env, executionContext()))
      .then((response) => writeResponse(res, response, method))
      .catch((error: unknown) => {
        // An uncaught exception in a Worker: the runtime answers 500.
        console.error('the Worker threw:', error)
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
        res.end('Worker threw exception')
      })
  })

  return {
    // OAuthProvider derives its issuer from the token endpoint's origin (RFC 8414 §2).
    issuer: origin,
    origin,
    port,
    caFile: https.caFile,
    env: {
      CLOUDFLARE_ISSUER: origin,
      CLOUDFLARE_PASSWORD: password,
      CLOUDFLARE_MCP_SERVER: mcpServer,
    },
    close: () => https.close(),
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const running = await startCloudflareServer()
  for (const [name, value] of Object.entries(running.env)) console.log(`export ${name}=${value}`)
  console.log(`# issuer ${running.issuer}; Ctrl-C stops`)
}
