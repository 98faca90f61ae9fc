/**
 * better-auth 1.7 with its OAuth 2.1 / OpenID provider plugin (@better-auth/oauth-provider) as an
 * interop target: a third, independent implementation of dynamic client registration.
 *
 * The server runs over HTTPS on 127.0.0.1 (random port) with the project's test certificate.
 * better-auth is mounted at its default base path `/api/auth`, which is therefore the issuer
 * (https://127.0.0.1:PORT/api/auth); the plugin itself answers both discovery documents
 * (`<issuer>/.well-known/openid-configuration` and the RFC 8414 path-insertion URL). Storage is
 * better-auth's in-memory adapter; the jwt plugin signs ID tokens with RS256.
 *
 * Registration (`POST /api/auth/oauth2/register`) is protected by an initial access token the
 * way the project's targets expect (harness/config/iat.ts, Curity style): a client-credentials
 * access token with scope `dcr`, issued by better-auth's own token endpoint to the pre-created
 * confidential client `server`. The plugin's `validateInitialAccessToken` callback checks it by
 * introspecting the token at better-auth's own introspection endpoint (as `server`): it must be
 * active and belong to `server` (else 401 invalid_token) and carry the scope `dcr` (a token of
 * `server` with scope `api` only gets 403 insufficient_scope). Registration without a token is
 * refused (no open registration). The IAT is not one-time: it registers until it expires.
 *
 * Deployment choices that shape the results (see expectations/better-auth.yaml):
 * `clientRegistrationDefaultApplicationType: "infer"` (a registration without application_type
 * and with a loopback or private-use redirect URI, as CLI and MCP clients send it, is a native
 * client), `pairwiseSecret` (pairwise subjects),
 * `advertisedMetadata.token_endpoint_auth_methods_supported` listing `none` (public clients may
 * register with an IAT), rate limits off, and the client management API closed. There is no
 * RFC 7592 client configuration endpoint in the plugin.
 *
 * better-auth has no login or consent pages of its own: the application serves them. This file
 * serves two minimal HTML forms, `/login` (email + password, signs in through better-auth's
 * email/password API with the signed `oauth_query`, then continues the authorization) and
 * `/consent` (Allow / Deny, posts to better-auth's `/oauth2/consent`); both forbid framing.
 *
 * Usage: `node bin/run-ts.js test/interop/better-auth-server.ts` prints the issuer and the env
 * variables targets.yaml reads for the `better-auth` target, and serves until interrupted.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { oauthProvider } from '@better-auth/oauth-provider'
import { betterAuth } from 'better-auth'
import { APIError } from 'better-auth/api'
import { generateRandomString } from 'better-auth/crypto'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { toNodeHandler } from 'better-auth/node'
import { jwt } from 'better-auth/plugins/jwt'
import { startLoopbackHttps } from './support/https-server.ts'
import type { InteropServerWithClients } from './support/interop-target.ts'
import { OTHER_SCOPE, REGISTRATION_CLIENT_ID, REGISTRATION_SCOPE } from './support/registration-client.ts'
import { serverWithClients } from './support/registration-client.ts'
/** better-auth's default base path; the issuer is origin + this path. */
export const BASE_PATH = '/api/auth'

const USER_EMAIL = 'interop-user@interop.test'
const USER_NAME = 'Interop User'

/** The running server (issuer https://127.0.0.1:PORT/api/auth) and what its targets.yaml entry reads. */
export type BetterAuthServer = InteropServerWithClients


/** Every model better-auth, its jwt plugin and the oauth-provider plugin store. */
const MEMORY_MODELS = [
  'user',
  'session',
  'account',
  'verification',
  'rateLimit',
  'jwks',
  'oauthClient',
  'oauthAccessToken',
  'oauthRefreshToken',
  'oauthConsent',
  'oauthResource',
  'oauthClientResource',
  'oauthClientAssertion',
]

function escapeHtml(value: string): string {
  return value
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
}

function page(title: string, body: string): string {
  return (
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}` +
    `</title></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`
  )
}

function loginPage(oauthQuery: string, error?: string): string {
  return page(
    'Sign in',
    (error ? `<p role="alert">${escapeHtml(error)}</p>` : '') +
      '<form method="post" action="/login">' +
      `<input type="hidden" name="oauth_query" value="${escapeHtml(oauthQuery)}">` +
      '<p><label for="email">Email</label> ' +
      '<input id="email" name="email" type="email" autocomplete="username" required></p>' +
      '<p><label for="password">Password</label> ' +
      '<input id="password" name="password" type="password" ' +
      'autocomplete="current-password" required></p>' +
      '<p><button type="submit">Sign in</button></p>' +
      '</form>',
  )
}

function consentPage(oauthQuery: string): string {
  const query = new URLSearchParams(oauthQuery)
  return page(
    'Authorize access',
    `<p>Client <code>${escapeHtml(query.get('client_id') ?? '')}</code> asks for ` +
      `<code>${escapeHtml(query.get('scope') ?? '')}</code>.</p>` +
      '<form method="post" action="/consent">' +
      `<input type="hidden" name="oauth_query" value="${escapeHtml(oauthQuery)}">` +
      '<button type="submit" name="accept" value="true">Allow</button> ' +
      '<button type="submit" name="accept" value="false">Deny</button>' +
      '</form>',
  )
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

function send(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string | string[]> = {},
): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    // The login and consent pages must not be framed (RFC 9700 §4.16).
    'x-frame-options': 'DENY',
    'content-security-policy': "frame-ancestors 'none'",
    ...headers,
  })
  res.end(body)
}

/**
 * Start better-auth with the oauth-provider plugin on 127.0.0.1 (random port) over HTTPS.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
export async function startBetterAuthServer(): Promise<BetterAuthServer> {
  const https = await startLoopbackHttps()
  const { server, origin } = https
  const issuer = `${origin}${BASE_PATH}`
  const password = randomBytes(12).toString('base64url')
  const db: Record<string, Record<string, unknown>[]> = Object.fromEntries(
    MEMORY_MODELS.map((model) => [model, []]),
  )

  /** The registration client's secret, known once it is created (below). */
  let registrationSecret = ''
  /** Marks the start-up request that creates client `server`; no one else manages clients. */
  const adminMarker = randomBytes(24).toString('base64url')
  /** The id the next created client gets instead of a generated one (client `server`). */
  let fixedClientId: string | undefined

  const auth = betterAuth({
    baseURL: origin,
    basePath: BASE_PATH,
    secret: randomBytes(32).toString('base64url'),
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    rateLimit: { enabled: false },
    trustedOrigins: [origin],
    logger: { level: 'error' },
    telemetry: { enabled: false },
    plugins: [
      jwt({ jwks: { keyPairConfig: { alg: 'RS256', modulusLength: 2048 } } }),
      oauthProvider({
        loginPage: `${origin}/login`,
        consentPage: `${origin}/consent`,
        scopes: ['openid', 'profile', 'email', 'offline_access', REGISTRATION_SCOPE, OTHER_SCOPE],
        // Dynamically registered clients may ask for the OpenID scopes only; dcr/api are for
        // the pre-created `server` client's client_credentials tokens.
        clientRegistrationDefaultScopes: ['openid', 'profile', 'email', 'offline_access'],
        allowDynamicClientRegistration: true,
        // Public clients (token_endpoint_auth_method none) may be registered with an IAT; the
        // plugin advertises `none` by itself only with open registration, so say it here.
        advertisedMetadata: {
          token_endpoint_auth_methods_supported: [
            'client_secret_basic',
            'client_secret_post',
            'private_key_jwt',
            'none',
          ],
        },
        pairwiseSecret: randomBytes(32).toString('base64url'),
        allowUnauthenticatedClientRegistration: false,
        // The option the plugin offers for CLI and MCP clients, which register loopback or
        // private-use redirect URIs without application_type (suites/personas): such a
        // registration becomes a native client instead of being refused as a web client. It
        // departs from OpenID DCR §2 (the default is web): see expectations/better-auth.yaml.
        clientRegistrationDefaultApplicationType: 'infer',
        // The client management API (create/update/delete clients for a signed-in user) is
        // closed; only the start-up code below uses it, to create client `server`.
        clientPrivileges: ({ headers }) => headers.get('x-interop-admin') === adminMarker,
        // The plugin's own generator, except for the start-up client, which is called `server`.
        generateClientId: () => {
          const id = fixedClientId ?? generateRandomString(32, 'a-z', 'A-Z')
          fixedClientId = undefined
          return id
        },
        validateInitialAccessToken: async ({ initialAccessToken }) =>
          authorizeRegistration(initialAccessToken),
        rateLimit: {
          token: false,
          authorize: false,
          introspect: false,
          revoke: false,
          register: false,
          userinfo: false,
        },
      }),
    ],
  })

  /**
   * The application's registration check (the plugin's `validateInitialAccessToken`): the bearer
   * token must be an active access token of client `server` (better-auth's own introspection
   * says so) with scope `dcr`. An unknown, expired or foreign token is refused by returning
   * false (the plugin answers 401 invalid_token); a valid token of `server` without `dcr` is
   * refused with 403 insufficient_scope (RFC 6750 §3.1), thrown as an APIError, which the plugin
   * passes through.
   * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
   */
  async function authorizeRegistration(token: string): Promise<{ referenceId?: string } | false> {
    const introspected = await introspect(token)
    if (introspected?.['active'] !== true) return false
    if (introspected['client_id'] !== REGISTRATION_CLIENT_ID) return false
    const scopes = new Set(String(introspected['scope'] ?? '').split(' '))
    if (scopes.has(REGISTRATION_SCOPE)) return {}
    const challenge = `Bearer error="insufficient_scope", scope="${REGISTRATION_SCOPE}"`
    throw new APIError(
      'FORBIDDEN',
      {
        error: 'insufficient_scope',
        error_description: `the initial access token needs scope ${REGISTRATION_SCOPE}`,
      },
      {
        'www-authenticate': challenge,
        'cache-control': 'no-store',
        pragma: 'no-cache',
      },
    )
  }

  /**
   * better-auth's own token introspection (RFC 7662), authenticated as client `server`.
   * @see https://www.rfc-editor.org/rfc/rfc7662#section-2.2
   */
  async function introspect(token: string): Promise<Record<string, unknown> | undefined> {
    const basic = Buffer.from(`${REGISTRATION_CLIENT_ID}:${registrationSecret}`).toString('base64')
    const response = await auth.handler(
      new Request(`${issuer}/oauth2/introspect`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${basic}`,
          'content-type': 'application/x-www-form-urlencoded',
          accept: 'application/json',
        },
        body: new URLSearchParams({ token, token_type_hint: 'access_token' }).toString(),
      }),
    )
    if (response.status !== 200) return undefined
    return (await response.json()) as Record<string, unknown>
  }

  // The seeded end user, and the pre-created confidential client `server` (created by an admin
  // session of that user through the plugin's server-only admin API).
  await auth.api.signUpEmail({ body: { email: USER_EMAIL, password, name: USER_NAME } })
  const signIn = await auth.api.signInEmail({
    body: { email: USER_EMAIL, password },
    returnHeaders: true,
  })
  const sessionCookie = (signIn.headers.getSetCookie?.() ?? [])
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
  fixedClientId = REGISTRATION_CLIENT_ID
  const created = (await auth.api.adminCreateOAuthClient({
    headers: new Headers({ cookie: sessionCookie, 'x-interop-admin': adminMarker }),
    body: {
      client_name: 'DCR initial access token client',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      client_credentials_scopes: [REGISTRATION_SCOPE, OTHER_SCOPE],
      skip_consent: true,
    },
  })) as { client_id: string; client_secret?: string }
  if (created.client_id !== REGISTRATION_CLIENT_ID || !created.client_secret) {
    throw new Error('better-auth did not create the confidential client `server`')
  }
  registrationSecret = created.client_secret

  const authHandler = toNodeHandler(auth)

  /** Calls a better-auth JSON endpoint on behalf of the browser (its cookies). */
  async function callAuth(
    req: IncomingMessage,
    path: string,
    body: Record<string, unknown>,
  ): Promise<{ status: number; json: Record<string, unknown>; setCookie: string[] }> {
    const headers = new Headers({
      'content-type': 'application/json',
      accept: 'application/json',
      origin,
    })
    if (typeof req.headers.cookie === 'string') headers.set('cookie', req.headers.cookie)
    const response = await auth.handler(
      new Request(`${issuer}${path}`, { method: 'POST', headers, body: JSON.stringify(body) }),
    )
    const text = await response.text()
    let json: Record<string, unknown> = {}
    try {
      json = JSON.parse(text) as Record<string, unknown>
    } catch {
      json = { message: text }
    }
    return { status: response.status, json, setCookie: response.headers.getSetCookie() }
  }

  /** 302 to the URL better-auth answered ({ redirect: true, url }), relative to the issuer. */
  function redirectTo(res: ServerResponse, url: string, setCookie: string[]): void {
    res.writeHead(302, {
      location: new URL(url, `${issuer}/`).href,
      'cache-control': 'no-store',
      ...(setCookie.length ? { 'set-cookie': setCookie } : {}),
    })
    res.end()
  }

  async function handleLogin(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET') {
      send(res, 200, loginPage(url.search.replace(/^\?/, '')))
      return
    }
    const form = new URLSearchParams(await readBody(req))
    const oauthQuery = form.get('oauth_query') ?? ''
    const result = await callAuth(req, '/sign-in/email', {
      email: form.get('email') ?? '',
      password: form.get('password') ?? '',
      ...(oauthQuery ? { oauth_query: oauthQuery } : {}),
    })
    if (result.status === 200 && typeof result.json['url'] === 'string') {
      redirectTo(res, result.json['url'], result.setCookie)
      return
    }
    if (result.status === 200) {
      send(res, 200, page('Signed in', '<p>Signed in.</p>'), { 'set-cookie': result.setCookie })
      return
    }
    const message = String(result.json['message'] ?? result.json['error_description'] ?? '')
    send(res, 401, loginPage(oauthQuery, message || 'Sign-in failed'))
  }

  async function handleConsent(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (req.method === 'GET') {
      send(res, 200, consentPage(url.search.replace(/^\?/, '')))
      return
    }
    const form = new URLSearchParams(await readBody(req))
    const result = await callAuth(req, '/oauth2/consent', {
      accept: form.get('accept') === 'true',
      oauth_query: form.get('oauth_query') ?? '',
    })
    if (typeof result.json['url'] === 'string') {
      redirectTo(res, result.json['url'], result.setCookie)
      return
    }
    const message = String(result.json['error_description'] ?? result.json['message'] ?? '')
    const status = result.status >= 400 ? result.status : 500
    send(res, status, page('Consent failed', `<p>${escapeHtml(message)}</p>`))
  }

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin)
    const route =
      url.pathname === '/login'
        ? handleLogin(req, res, url)
        : url.pathname === '/consent'
          ? handleConsent(req, res, url)
          : authHandler(req, res)
    Promise.resolve(route).catch((error: unknown) => {
      if (!res.headersSent) send(res, 500, page('Error', escapeHtml(String(error))))
      else res.end()
    })
  })

  return serverWithClients(https, {
    issuer,
    registrationSecret,
    user: { username: USER_EMAIL, password },
    env: {
      BETTER_AUTH_ISSUER: issuer,
      BETTER_AUTH_DCR_SECRET: registrationSecret,
      BETTER_AUTH_USER: USER_EMAIL,
      BETTER_AUTH_PASSWORD: password,
    },
  })
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const running = await startBetterAuthServer()
  for (const [name, value] of Object.entries(running.env)) console.log(`export ${name}=${value}`)
  console.log(`# issuer ${running.issuer}; Ctrl-C stops`)
}
