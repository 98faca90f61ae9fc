/**
 * Initial access tokens (IAT) by the target's configured strategy; a fresh token on every call.
 * @see https://www.rfc-editor.org/rfc/rfc7591#section-3
 */
import { execFile } from 'node:child_process'
import { HarnessError } from '../errors.ts'
import type { HttpClient, HttpResponse } from '../http/types.ts'
import type { IatStrategy, ResolvedTarget } from '../model/target.ts'
import type { Exchange } from '../model/result.ts'
import { exchangeOf } from '../http/client.ts'
import { accessTokenOf, buildTokenRequest } from '../http/token-request.ts'
import { NotApplicableError } from './not-applicable.ts'

export interface IatResult {
  /** The token; undefined for strategy `none`. */
  token?: string
  /** The token endpoint's answer when the strategy asked one. */
  response?: HttpResponse
  exchanges: Exchange[]
}

/** The strategy whose token comes from a user's login (a browser's work, not this module's). */
export type UserTokenStrategy = Extract<IatStrategy, { strategy: 'authorization_code' }>

export interface IatServices {
  http: HttpClient
  signal?: AbortSignal
  /** For `authorization_code`: the browser machinery (harness/browser/user-token.ts). */
  userToken?: (strategy: UserTokenStrategy, signal?: AbortSignal) => Promise<IatResult>
}

const DEFAULT_COMMAND_TIMEOUT_MS = 30_000

/**
 * Obtains an IAT; `purpose: token-without-registration-scope` asks for `other_scope` instead and
 * throws `NotApplicableError` (the scenario is skipped) when the target has none.
 */
export async function obtainIat(
  target: ResolvedTarget,
  services: IatServices,
  purpose: 'initial-access-token' | 'token-without-registration-scope' = 'initial-access-token',
): Promise<IatResult> {
  const strategy = target.registration?.iat ?? { strategy: 'none' as const }
  if (purpose === 'token-without-registration-scope') {
    if (strategy.strategy !== 'client_credentials' || !strategy.other_scope) {
      throw new NotApplicableError(
        `target '${target.name}' has no client_credentials IAT strategy with other_scope ` +
          '(registration.iat.other_scope in targets.yaml): a token without the registration ' +
          'scope cannot be obtained',
      )
    }
    return clientCredentials(target, strategy, strategy.other_scope, services)
  }
  switch (strategy.strategy) {
    case 'none':
      return { exchanges: [] }
    case 'static':
      return { token: strategy.token, exchanges: [] }
    case 'command':
      return {
        token: await runTokenCommand(strategy.command, strategy.timeout_ms, services.signal),
        exchanges: [],
      }
    case 'client_credentials':
      return clientCredentials(target, strategy, strategy.scope ?? 'dcr', services)
    case 'authorization_code':
      if (!services.userToken) {
        throw new HarnessError(
          'E_IAT',
          'the authorization_code IAT strategy needs the browser services',
        )
      }
      return services.userToken(strategy, services.signal)
  }
}

async function clientCredentials(
  target: ResolvedTarget,
  strategy: { client_id: string; client_secret: string; auth_method?: string },
  scope: string,
  services: IatServices,
): Promise<IatResult> {
  const tokenEndpoint = target.endpoints['token_endpoint']
  if (!tokenEndpoint) {
    throw new HarnessError(
      'E_IAT',
      `target '${target.name}' has no token_endpoint (discovery or endpoints)`,
    )
  }
  const request = await buildTokenRequest({
    endpoint: tokenEndpoint,
    params: { grant_type: 'client_credentials', scope },
    client: { client_id: strategy.client_id, client_secret: strategy.client_secret },
    authMethod: strategy.auth_method ?? 'client_secret_basic',
  })
  let sent
  try {
    sent = await services.http.send(request, services.signal)
  } catch (error) {
    const exchange = exchangeOf(error)
    throw Object.assign(
      new HarnessError('E_IAT', `initial access token: ${(error as Error).message}`, {
        cause: error,
      }),
      exchange ? { exchange } : {},
    )
  }
  const { response, exchange } = sent
  const token = accessTokenOf(response)
  if (token === undefined) {
    throw Object.assign(
      new HarnessError(
        'E_IAT',
        `initial access token: the token endpoint answered ${response.status} ` +
          `without an access_token (${response.text.slice(0, 200)})`,
      ),
      { exchange },
    )
  }
  return { token, response, exchanges: [exchange] }
}

/** Runs the configured command; its trimmed stdout is the token. */
export function runTokenCommand(
  command: string,
  timeoutMs = DEFAULT_COMMAND_TIMEOUT_MS,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      '/bin/sh',
      ['-c', command],
      { timeout: timeoutMs, maxBuffer: 1024 * 1024, ...(signal ? { signal } : {}) },
      (error, stdout, stderr) => {
        const errText = String(stderr).trim().slice(0, 500)
        if (error) {
          const killed = (error as { killed?: boolean }).killed
          const status = killed
            ? `killed after ${timeoutMs} ms`
            : `exit status ${String(error.code ?? 'unknown')}`
          reject(
            new HarnessError(
              'E_IAT',
              `IAT command failed (${status})${errText ? `: ${errText}` : ''}`,
            ),
          )
          return
        }
        const token = String(stdout).trim()
        if (!token) {
          reject(
            new HarnessError(
              'E_IAT',
              `IAT command printed no token${errText ? ` (stderr: ${errText})` : ''}`,
            ),
          )
          return
        }
        resolve(token)
      },
    )
  })
}
