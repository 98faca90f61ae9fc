/**
 * `authorize` action: build an authorization request for a registered client (state, nonce and
 * a PKCE pair fresh per call), let the login driver complete it, and return where the server
 * sent the browser. It never judges: scenarios check `query`, `redirected`, `status`, ...
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.1
 * @see https://www.rfc-editor.org/rfc/rfc7636#section-4.3
 * @see https://openid.net/specs/openid-connect-core-1_0.html#AuthRequest
 */
import { codeChallenge, randomValue } from '../oauth/pkce.ts'
import { isRedirectTo, redirectStatusOf } from '../oauth/redirect-uri.ts'
import type { BrowserAuthorizeRequest } from '../browser/types.ts'
import { HarnessError } from '../errors.ts'
import { isLinkLocalOrMetadata } from '../http/origin-policy.ts'
import type { AuthorizeInput, ClientCredentials } from '../model/scenario.ts'
import type { Exchange } from '../model/result.ts'
import type { Action, ActionContext } from './action.ts'

/** The values the request was built with (returned so that later steps can use them). */
export interface AuthorizationRequest {
  url: string
  redirect_uri: string
  state: string | null
  nonce: string | null
  code_verifier: string | null
  code_challenge: string | null
  code_challenge_method: string | null
}

/** `value` when given, a fresh random value when undefined, nothing when null. */
function randomUnlessGiven(value: string | null | undefined): string | null {
  if (value === null) return null
  return value ?? randomValue()
}

function firstRedirectUri(client: ClientCredentials): string | undefined {
  const uris = client.redirect_uris
  return Array.isArray(uris) && typeof uris[0] === 'string' ? uris[0] : undefined
}

/** The first page the server showed the user agent (see `pageShown`). */
export interface PageShown {
  url: string
  status: number
  /** Response headers, names in lower case. */
  headers: Record<string, string>
}

/**
 * The first page the server showed on the way (its login, consent or error page): the first
 * recorded response that is neither a redirect nor the redirect URI itself. Undefined when the
 * server sent the user agent straight to the redirect URI (approval without any page), so that
 * checks about the login page can say `when_present: page`.
 */
export function pageShown(exchanges: readonly Exchange[], redirectUri: string): PageShown | undefined {
  for (const exchange of exchanges) {
    const response = exchange.response
    if (!response) continue
    if (isRedirectTo(exchange.request.url, redirectUri)) return undefined
    if (response.status >= 300 && response.status < 400) continue
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value
    return { url: exchange.request.url, status: response.status, headers }
  }
  return undefined
}

/**
 * A browser is only ever sent to an http(s) authorization endpoint off link-local and metadata
 * addresses: a `file://` endpoint would let the target read local files into a trace.
 */
function assertBrowsable(endpoint: string, context: ActionContext): void {
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new HarnessError('E_ACTION', `authorize: authorization_endpoint is not a URL: ${endpoint}`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new HarnessError('E_ORIGIN', `authorize: refused to open ${url.protocol} authorization_endpoint ${endpoint}`)
  if (isLinkLocalOrMetadata(url.hostname) && !context.target.allow_link_local) {
    throw new HarnessError(
      'E_ORIGIN',
      `authorize: refused to open ${url.origin}: a link-local or cloud metadata address (set allow_link_local in targets.yaml to allow it)`,
    )
  }
}

/** Build the authorization request URL from the input and the target. */
export function buildAuthorizationRequest(
  input: AuthorizeInput,
  context: ActionContext,
): AuthorizationRequest {
  const endpoint = context.target.endpoints.authorization_endpoint
  if (!endpoint) {
    throw new HarnessError(
      'E_ACTION',
      `authorize: target '${context.target.name}' has no authorization_endpoint`,
    )
  }
  assertBrowsable(endpoint, context)
  const clientId = input.client?.client_id
  if (typeof clientId !== 'string' || clientId === '') {
    throw new HarnessError('E_ACTION', 'authorize: the client has no client_id')
  }
  const redirectUri = input.redirect_uri ?? firstRedirectUri(input.client) ?? context.callbackUrl
  const state = randomUnlessGiven(input.state)
  const nonce = randomUnlessGiven(input.nonce)

  let verifier: string | null = null
  let challenge: string | null = null
  let method: string | null = null
  if (input.pkce !== false) {
    const options = typeof input.pkce === 'object' ? input.pkce : {}
    method = options.method ?? 'S256'
    verifier = options.verifier ?? randomValue()
    challenge = codeChallenge(verifier, method)
  }

  const url = new URL(endpoint)
  const params = url.searchParams
  params.set('response_type', input.response_type ?? 'code')
  params.set('client_id', clientId)
  params.set('redirect_uri', redirectUri)
  params.set('scope', input.scope ?? context.target.scope ?? 'openid')
  if (state !== null) params.set('state', state)
  if (nonce !== null) params.set('nonce', nonce)
  if (challenge !== null && method !== null) {
    params.set('code_challenge', challenge)
    params.set('code_challenge_method', method)
  }
  if (input.prompt !== undefined) params.set('prompt', input.prompt)
  // The target's own parameters (e.g. prompt=consent for refresh tokens), then the scenario's.
  const extra = { ...context.target.authorization?.params, ...input.params }
  for (const [name, value] of Object.entries(extra)) {
    params.delete(name)
    // A whole-expression template keeps its type (scenario/template.ts): a number is sent as text.
    const values = value === null ? [] : Array.isArray(value) ? value : [value]
    for (const item of values) params.append(name, String(item))
  }
  return {
    url: url.href,
    redirect_uri: redirectUri,
    state,
    nonce,
    code_verifier: verifier,
    code_challenge: challenge,
    code_challenge_method: method,
  }
}

export const authorizeAction: Action<AuthorizeInput> = {
  name: 'authorize',
  async execute(input, context) {
    const built = buildAuthorizationRequest(input, context)
    const browser = await context.browser()
    const request: BrowserAuthorizeRequest = {
      url: built.url,
      redirectUri: built.redirect_uri,
      login: input.login ?? true,
      scenarioId: context.scenarioId,
      signal: context.signal,
      artifactsDir: context.artifactsDir,
    }
    const outcome = await browser.authorize(request)
    const page = pageShown(outcome.exchanges, built.redirect_uri)
    return {
      data: {
        url: outcome.url,
        query: outcome.query,
        // The code of the response, null when none came back: a later step can send it without
        // failing to resolve (`params: { code: ... }` drops a null).
        code: outcome.query.code ?? null,
        state: built.state,
        nonce: built.nonce,
        code_verifier: built.code_verifier,
        code_challenge: built.code_challenge,
        code_challenge_method: built.code_challenge_method,
        redirect_uri: built.redirect_uri,
        redirected: outcome.redirected,
        redirect_status: outcome.redirected
          ? (redirectStatusOf(outcome.exchanges, built.redirect_uri) ?? null)
          : null,
        credential_redirect_statuses: outcome.credentialRedirectStatuses ?? [],
        driver: outcome.driver,
        session_reused: outcome.sessionReused === true,
        ...(outcome.status !== undefined ? { status: outcome.status } : {}),
        ...(outcome.body !== undefined ? { body: outcome.body } : {}),
        ...(page !== undefined ? { page } : {}),
        request_url: built.url,
      },
      exchanges: outcome.exchanges,
      artifacts: outcome.artifacts,
    }
  },
}
