/**
 * The `authorization_code` IAT strategy: a user logs in with the configured client (scope `dcr`
 * by default), the code is redeemed, and the access token is the initial access token.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.3
 */
import type { HttpClient } from '../http/types.ts'
import { HarnessError } from '../errors.ts'
import { accessTokenOf, buildTokenRequest } from '../http/token-request.ts'
import type { IatStrategy, ResolvedTarget } from '../model/target.ts'
import type { Artifact, Exchange } from '../model/result.ts'
import { codeChallenge, randomValue } from '../oauth/pkce.ts'
import type { BrowserAuthorizeRequest, BrowserServices } from './types.ts'

export interface UserTokenOptions {
  target: ResolvedTarget
  strategy: Extract<IatStrategy, { strategy: 'authorization_code' }>
  http: HttpClient
  browser: BrowserServices
  /** Redirect URI when the strategy names none. */
  callbackUrl: string
  scenarioId: string
  artifactsDir?: string
  signal?: AbortSignal
}

export async function obtainUserToken(
  options: UserTokenOptions,
): Promise<{ accessToken: string; exchanges: Exchange[]; artifacts: Artifact[] }> {
  const { target, strategy } = options
  const authorizationEndpoint = target.endpoints.authorization_endpoint
  const tokenEndpoint = target.endpoints.token_endpoint
  if (!authorizationEndpoint || !tokenEndpoint) {
    throw new HarnessError(
      'E_IAT',
      `target '${target.name}' needs an authorization_endpoint and a token_endpoint ` +
        'for the authorization_code IAT strategy',
    )
  }
  const redirectUri = strategy.redirect_uri ?? options.callbackUrl
  const state = randomValue()
  const verifier = randomValue()
  const url = new URL(authorizationEndpoint)
  url.searchParams.set('response_type', 'code')
  url.searchParams.set('client_id', strategy.client_id)
  url.searchParams.set('redirect_uri', redirectUri)
  url.searchParams.set('scope', strategy.scope ?? 'dcr')
  url.searchParams.set('state', state)
  url.searchParams.set('code_challenge', codeChallenge(verifier, 'S256'))
  url.searchParams.set('code_challenge_method', 'S256')

  const request: BrowserAuthorizeRequest = {
    url: url.href,
    redirectUri,
    login: true,
    scenarioId: options.scenarioId,
    artifactsDir: options.artifactsDir,
    signal: options.signal,
  }
  const outcome = await options.browser.authorize(request)
  const exchanges = [...outcome.exchanges]
  const code = outcome.query.code
  if (!outcome.redirected || !code) {
    const why = outcome.redirected
      ? `the server answered error=${outcome.query.error ?? '(none)'}`
      : `the server did not redirect (status ${outcome.status ?? 'unknown'})`
    throw new HarnessError('E_IAT', `authorization_code IAT: no code (${why})`)
  }
  if (outcome.query.state !== state) {
    throw new HarnessError(
      'E_IAT',
      'authorization_code IAT: the state of the redirect does not match',
    )
  }

  const secret = strategy.client_secret
  const tokenRequest = await buildTokenRequest({
    endpoint: tokenEndpoint,
    params: {
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirectUri,
      code_verifier: verifier,
    },
    client: { client_id: strategy.client_id, ...(secret ? { client_secret: secret } : {}) },
    authMethod: secret ? 'client_secret_basic' : 'none',
  })
  const { response, exchange } = await options.http.send(tokenRequest, options.signal)
  exchanges.push(exchange)
  const token = accessTokenOf(response)
  if (token === undefined) {
    throw new HarnessError(
      'E_IAT',
      `authorization_code IAT: the token endpoint answered ${response.status} ` +
        'without an access_token',
    )
  }
  return { accessToken: token, exchanges, artifacts: outcome.artifacts }
}
