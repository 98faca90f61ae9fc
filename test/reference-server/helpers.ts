/** Test helpers: drive a real reference server over loopback with undici. */
import { createHash, randomBytes } from 'node:crypto'
import { fetch } from 'undici'
import { forFile } from '../support/for-file.ts'
import { startReferenceServer } from '../../reference-server/index.ts'
import type { ReferenceServer } from '../../reference-server/index.ts'
import type { ReferenceServerOptions } from '../../reference-server/api.ts'

export { fetch }

export type Json = Record<string, any>

export interface Reply {
  status: number
  headers: Headers
  body: any
  text: string
}

/** Starts a server for a test; its log is off unless the test's config says otherwise. */
export async function start(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  return startReferenceServer({ ...options, config: { log: 'off', ...options.config } })
}

/**
 * One server for all the tests of a file: awaited at the file's top level, closed after its last
 * test.
 */
export async function startForFile(options: ReferenceServerOptions = {}): Promise<ReferenceServer> {
  return forFile(start(options))
}

export async function send(url: string, init: Parameters<typeof fetch>[1] = {}): Promise<Reply> {
  const response = await fetch(url, { redirect: 'manual', ...init })
  const text = await response.text()
  let body: unknown = text
  if ((response.headers.get('content-type') ?? '').includes('json') && text) {
    try {
      body = JSON.parse(text)
    } catch {
      body = text
    }
  }
  return { status: response.status, headers: response.headers as unknown as Headers, body, text }
}

export function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`
}

export const ep = (s: ReferenceServer) => ({
  token: `${s.origin}/oauth/v2/oauth-token`,
  authorize: `${s.origin}/oauth/v2/oauth-authorize`,
  register: `${s.origin}/oauth/v2/oauth-dynamic-client-registration`,
  userinfo: `${s.origin}/oauth/v2/oauth-userinfo`,
  introspect: `${s.origin}/oauth/v2/oauth-introspect`,
  revoke: `${s.origin}/oauth/v2/oauth-revoke`,
  jwks: `${s.origin}/oauth/v2/oauth-anonymous/jwks`,
  discovery: `${s.issuer}/.well-known/openid-configuration`,
  rfc8414: `${s.origin}/.well-known/oauth-authorization-server/oauth/v2/oauth-anonymous`,
})

/** POST a form to the token endpoint. */
export async function tokenRequest(
  s: ReferenceServer,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(ep(s).token, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  })
}

/** A fresh IAT (client_credentials, scope dcr) from the registration client. */
export async function iat(s: ReferenceServer, scope = 'dcr'): Promise<string> {
  const r = await tokenRequest(
    s,
    { grant_type: 'client_credentials', scope },
    { authorization: basic(s.registrationClient.client_id, s.registrationClient.client_secret) },
  )
  if (r.status !== 200) throw new Error(`IAT request failed: ${r.status} ${r.text}`)
  return r.body.access_token
}

export async function registerRaw(
  s: ReferenceServer,
  body: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  return send(ep(s).register, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Registers with a fresh IAT. */
export async function register(s: ReferenceServer, metadata: Json): Promise<Reply> {
  return registerRaw(s, metadata, await iat(s))
}

export const webClient = { redirect_uris: ['https://localhost/callback'], scope: 'openid profile' }

/** Registers a client and fails the test when it does not get 201. */
export async function registered(s: ReferenceServer, metadata: Json = webClient): Promise<Json> {
  const r = await register(s, metadata)
  if (r.status !== 201) throw new Error(`registration failed: ${r.status} ${r.text}`)
  return r.body
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url')
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') }
}

/**
 * The authorization request of a code flow for a registered client: its first redirect URI and
 * scope openid; `extra` adds or replaces parameters.
 */
export function codeRequest(
  client: Json,
  extra: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  const { client_id, redirect_uris } = client
  const redirect_uri = redirect_uris[0]
  return { client_id, redirect_uri, response_type: 'code', scope: 'openid', ...extra }
}

export interface AuthorizeResult {
  status: number
  location?: string
  query?: URLSearchParams
  page?: string
  cookie?: string
}

/**
 * Sends the authorization request; when the login page appears, posts the form (username,
 * password) like a browser and returns where the server sends the browser.
 */
export async function authorize(
  s: ReferenceServer,
  params: Record<string, string | undefined>,
  options: { login?: boolean; cookie?: string; username?: string; password?: string } = {},
): Promise<AuthorizeResult> {
  const url = new URL(ep(s).authorize)
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.append(k, v)
  const first = await fetch(url, {
    redirect: 'manual',
    headers: options.cookie ? { cookie: options.cookie } : {},
  })
  const firstText = await first.text()
  const location = first.headers.get('location') ?? undefined
  if (location) return { status: first.status, location, query: new URL(location).searchParams }
  const interaction = /name="interaction" value="([^"]+)"/.exec(firstText)?.[1]
  if (first.status !== 200 || !interaction || options.login === false)
    return { status: first.status, page: firstText }
  const loginCookie = first.headers.get('set-cookie')?.split(';')[0]
  const form = new URLSearchParams({
    interaction,
    username: options.username ?? s.user.username,
    password: options.password ?? s.user.password,
  })
  const action = /<form method="post" action="([^"]+)"/.exec(firstText)![1]!
  const second = await fetch(new URL(action, s.origin), {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(loginCookie ? { cookie: loginCookie } : {}),
    },
    body: form.toString(),
  })
  const secondText = await second.text()
  const next = second.headers.get('location') ?? undefined
  const cookie = second.headers.get('set-cookie')?.split(';')[0]
  const result: AuthorizeResult = { status: second.status, page: secondText }
  if (next) {
    result.location = next
    result.query = new URL(next).searchParams
  }
  if (cookie) result.cookie = cookie
  return result
}

/** Full code flow for a registered client: returns the code, verifier and redirect URI used. */
export async function codeFor(
  s: ReferenceServer,
  client: Json,
  extra: Record<string, string | undefined> = {},
) {
  const { verifier, challenge } = pkcePair()
  const redirectUri = client.redirect_uris[0]
  const r = await authorize(s, {
    client_id: client.client_id,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope: client.scope,
    state: 'st-123',
    nonce: 'n-456',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  })
  const code = r.query?.get('code')
  if (!code) throw new Error(`no code: ${r.status} ${r.location ?? r.page?.slice(0, 300)}`)
  return { code, verifier, redirectUri, result: r }
}

export async function redeem(
  s: ReferenceServer,
  client: Json,
  code: string,
  verifier: string | undefined,
  redirectUri: string,
  headers?: Record<string, string>,
): Promise<Reply> {
  const form: Record<string, string> = {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
  }
  if (verifier) form.code_verifier = verifier
  return tokenRequest(
    s,
    form,
    headers ?? { authorization: basic(client.client_id, client.client_secret) },
  )
}
