/**
 * The run's source of initial access tokens, shared by `run` and `fuzz`: the target's strategy,
 * a fresh token on every call (a user login for `authorization_code`), each token learned as a
 * secret before anything records it.
 */
import { join } from 'node:path'
import type { HttpClient } from '../http/types.ts'
import type { IatPurpose } from '../actions/iat-context.ts'
import { obtainIat, type IatResult, type UserTokenStrategy } from '../config/iat.ts'
import type { ResolvedTarget } from '../model/target.ts'
import { userTokenIat, type RunBrowserServices } from './browser.ts'

export interface IatProviderOptions {
  target: ResolvedTarget
  http: HttpClient
  browser: RunBrowserServices
  artifactsDir: string
  learn(secret: string): void
}

export type IatProvider = (purpose: IatPurpose, signal?: AbortSignal) => Promise<IatResult>

/**
 * One IAT by the target's strategy. The dispatch is obtainIat's (config/iat.ts); the run only
 * lends it a user login, for the `authorization_code` strategy.
 */
export function obtainRunIat(
  options: Omit<IatProviderOptions, 'learn'>,
  purpose: IatPurpose,
  signal?: AbortSignal,
): Promise<IatResult> {
  const { target, http, browser } = options
  const userToken = (strategy: UserTokenStrategy, tokenSignal?: AbortSignal) =>
    userTokenIat({
      target,
      strategy,
      http,
      browser,
      callbackUrl: browser.callbackUrlFor('initial-access-token'),
      scenarioId: 'initial-access-token',
      artifactsDir: join(options.artifactsDir, 'initial-access-token'),
      ...(tokenSignal ? { signal: tokenSignal } : {}),
    })
  return obtainIat(target, { http, userToken, ...(signal ? { signal } : {}) }, purpose)
}

export function createIatProvider(options: IatProviderOptions): IatProvider {
  return async (purpose, signal) => {
    const result = await obtainRunIat(options, purpose, signal)
    if (result.token) options.learn(result.token)
    return result
  }
}
