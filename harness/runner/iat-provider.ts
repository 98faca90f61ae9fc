/**
 * The run's source of initial access tokens, shared by `run` and `fuzz`: the target's strategy,
 * a fresh token on every call (a user login for `authorization_code`), each token learned as a
 * secret before anything records it.
 */
import { join } from 'node:path'
import type { HttpClient } from '../actions/action.ts'
import type { IatPurpose } from '../actions/iat-context.ts'
import { obtainIat, type IatResult } from '../config/iat.ts'
import type { ResolvedTarget } from '../types.ts'
import { userTokenIat, type RunBrowserServices } from './browser.ts'

export interface IatProviderOptions {
  target: ResolvedTarget
  http: HttpClient
  browser: RunBrowserServices
  artifactsDir: string
  learn(secret: string): void
}

export type IatProvider = (purpose: IatPurpose, signal?: AbortSignal) => Promise<IatResult>

/** One IAT by the target's strategy: a user login for `authorization_code`, else obtainIat. */
export function obtainRunIat(
  options: Omit<IatProviderOptions, 'learn'>,
  purpose: IatPurpose,
  signal?: AbortSignal,
): Promise<IatResult> {
  const { target, http, browser } = options
  const strategy = target.registration?.iat
  if (strategy?.strategy === 'authorization_code' && purpose === 'initial-access-token') {
    return userTokenIat({
      target,
      strategy,
      http,
      browser,
      callbackUrl: browser.callbackUrlFor('initial-access-token'),
      scenarioId: 'initial-access-token',
      artifactsDir: join(options.artifactsDir, 'initial-access-token'),
      ...(signal ? { signal } : {}),
    })
  }
  return obtainIat(target, { http, ...(signal ? { signal } : {}) }, purpose)
}

export function createIatProvider(options: IatProviderOptions): IatProvider {
  return async (purpose, signal) => {
    const result = await obtainRunIat(options, purpose, signal)
    if (result.token) options.learn(result.token)
    return result
  }
}
