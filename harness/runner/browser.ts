/**
 * The run's browser services (harness/browser/services.ts): the loopback callback server
 * starts with the run (scenarios register `run.callback_url` even without a browser step);
 * Playwright itself is only loaded by the first browser step. The modules are imported when the
 * run starts, so `list` and argument errors never load them.
 */
import { HarnessError } from '../errors.ts'
import type { IatResult } from '../config/iat.ts'
import type { BrowserServicesOptions, RunBrowserServices } from '../browser/services.ts'
import type { UserTokenOptions } from '../browser/user-token.ts'

export type { RunBrowserServices }

export async function startBrowserServices(
  options: BrowserServicesOptions,
): Promise<RunBrowserServices> {
  const { createBrowserServices } = await import('../browser/services.ts')
  return createBrowserServices(options)
}

/** IAT by the `authorization_code` strategy: a user logs in, the code is redeemed. */
export async function userTokenIat(options: UserTokenOptions): Promise<IatResult> {
  const { obtainUserToken } = await import('../browser/user-token.ts')
  const result = await obtainUserToken(options)
  if (!result.accessToken)
    throw new HarnessError('E_IAT', 'the authorization_code strategy gave no token')
  return { token: result.accessToken, exchanges: result.exchanges }
}
