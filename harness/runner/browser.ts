/**
 * The run's browser services (BRW's harness/browser/services.ts): the loopback callback server
 * starts with the run (scenarios register `run.callback_url` even without a browser step);
 * Playwright itself is only loaded by the first browser step.
 */
import { HarnessError } from '../errors.ts'
import type { BrowserServices, HttpClient } from '../actions/action.ts'
import type { IatResult } from '../config/iat.ts'
import type { Artifact, Exchange, IatStrategy, ResolvedTarget } from '../types.ts'

export type RunBrowserServices = BrowserServices & {
  callbackUrlFor(scenarioId: string): string
  close(): Promise<void>
  releaseScenario?(scenarioId: string): Promise<void>
}

export interface BrowserOptions {
  target: ResolvedTarget
  driver: 'auto' | 'browser' | 'http'
  headed?: boolean
  trace?: boolean
  http: HttpClient
  notice(message: string): void
  artifactsDir?: string
}

type CreateBrowserServices = (options: BrowserOptions) => Promise<RunBrowserServices>
type ObtainUserToken = (options: {
  target: ResolvedTarget
  strategy: Extract<IatStrategy, { strategy: 'authorization_code' }>
  http: HttpClient
  browser: BrowserServices
  callbackUrl: string
  scenarioId: string
  artifactsDir?: string
  signal?: AbortSignal
}) => Promise<{ accessToken: string; exchanges: Exchange[]; artifacts: Artifact[] }>

// Variable specifiers: these modules belong to BRW and load only when needed.
const servicesModule = '../browser/services.ts'
const userTokenModule = '../browser/user-token.ts'

export async function startBrowserServices(options: BrowserOptions): Promise<RunBrowserServices> {
  const module = (await import(servicesModule)) as { createBrowserServices?: CreateBrowserServices }
  if (typeof module.createBrowserServices !== 'function') {
    throw new HarnessError('E_INTERNAL', 'harness/browser/services.ts does not export createBrowserServices')
  }
  return module.createBrowserServices(options)
}

/** IAT by the `authorization_code` strategy: a user logs in, the code is redeemed. */
export async function userTokenIat(options: Parameters<ObtainUserToken>[0]): Promise<IatResult> {
  const module = (await import(userTokenModule)) as { obtainUserToken?: ObtainUserToken }
  if (typeof module.obtainUserToken !== 'function') {
    throw new HarnessError('E_INTERNAL', 'harness/browser/user-token.ts does not export obtainUserToken')
  }
  const result = await module.obtainUserToken(options)
  return { token: result.accessToken, exchanges: result.exchanges }
}
