/**
 * The run's login machinery: the loopback callback server (started at once: scenarios register
 * `run.callback_url` even without a browser) and a login driver chosen on first use: a real
 * Chromium when one is found (`--login-driver auto|browser`), else the HTTP-form driver.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BrowserServices, HttpClient } from '../actions/action.ts'
import { HarnessError } from '../errors.ts'
import type { ResolvedTarget } from '../types.ts'
import { startCallbackServer, type CallbackServer } from './callback-server.ts'
import { discoverBrowser, type BrowserDiscoveryOptions } from './discovery.ts'
import { createHttpFormDriver } from './http-form-driver.ts'
import { LoginError } from './login-error.ts'
import { resolveLoginRecipe } from './login-recipe.ts'
import { launchPlaywrightDriver } from './playwright-driver.ts'
import { scrubExchanges } from './scrub.ts'
import { createSessionStore, sessionHosts } from './session-store.ts'
import type { BrowserAuthorizeRequest, LoginDriver } from './types.ts'

export type LoginDriverChoice = 'auto' | 'browser' | 'http'

export interface BrowserServicesOptions {
  target: ResolvedTarget
  driver: LoginDriverChoice
  headed?: boolean
  trace?: boolean
  http: HttpClient
  notice(message: string): void
  /** Run-level artifacts folder, used when a request names none. */
  artifactsDir?: string
  /** Budget of one authorization in milliseconds (default 30 s). */
  timeoutMs?: number
  /** Where to look for a browser (tests hide the machine's browser with this). */
  discovery?: Omit<BrowserDiscoveryOptions, 'targetBrowser'>
  /**
   * Log in once and start later scenarios from that session (default true); false: every
   * scenario logs in (`--no-session-reuse`). Scenarios with `login: fresh` always log in.
   */
  sessionReuse?: boolean
}

export interface RunBrowserServices extends BrowserServices {
  authorize(request: BrowserAuthorizeRequest): ReturnType<BrowserServices['authorize']>
  /** This scenario's loopback redirect URI (`run.callback_url`). */
  callbackUrlFor(scenarioId: string): string
  readonly callbackServer: CallbackServer
  /** Forget a finished scenario's browser context or cookie jar. */
  releaseScenario(scenarioId: string): Promise<void>
  /**
   * Choose and start the login driver now (launch Chromium while other work runs); resolves to
   * its kind, or undefined when it cannot start (the first authorization then says why).
   */
  warmUp(): Promise<'browser' | 'http' | undefined>
  close(): Promise<void>
}

export function noBrowserNotice(looked: string[]): string {
  return (
    `no Chrome/Chromium found (looked in ${looked.join(', ')}); ` +
    'using the HTTP-form login driver. ' +
    'Install Chromium (e.g. apt-get install chromium) or set DCR_BROWSER to use a real browser.'
  )
}

/** Start the callback server; the driver is chosen and started on the first authorization. */
export async function createBrowserServices(
  options: BrowserServicesOptions,
): Promise<RunBrowserServices> {
  const callback = await startCallbackServer(options.target.callback?.port)
  const recipe = resolveLoginRecipe(options.target.login)
  const artifactsDir = options.artifactsDir ?? join(tmpdir(), 'dcr-conformance-artifacts')
  // One driver per run, so one store; each driver keeps the session in its own form.
  const reuse = options.sessionReuse !== false
  const httpDriver = (): LoginDriver =>
    createHttpFormDriver({
      http: options.http,
      recipe,
      callbackOrigin: callback.origin,
      artifactsDir,
      sessions: createSessionStore(reuse),
      sessionHosts: sessionHosts(options.target),
    })

  async function chooseDriver(): Promise<LoginDriver> {
    if (options.driver === 'http') return httpDriver()
    const found = await discoverBrowser({
      ...options.discovery,
      targetBrowser: options.target.browser,
    })
    if (!found.executable) {
      if (options.driver === 'browser') {
        throw new HarnessError(
          'E_BROWSER',
          '--login-driver browser: no Chrome/Chromium found ' +
            `(looked in ${found.looked.join(', ')}). ` +
            'Install Chromium (e.g. apt-get install chromium) or set DCR_BROWSER.',
        )
      }
      options.notice(noBrowserNotice(found.looked))
      return httpDriver()
    }
    const tls = options.target.tls
    try {
      return await launchPlaywrightDriver({
        executablePath: found.executable,
        headed: options.headed,
        trace: options.trace,
        ignoreHttpsErrors: Boolean(tls?.ca || tls?.insecure),
        recipe,
        callback,
        target: options.target,
        artifactsDir,
        timeoutMs: options.timeoutMs,
        sessions: createSessionStore(reuse),
      })
    } catch (error) {
      if (options.driver === 'browser') throw error
      options.notice(`${(error as Error).message}; using the HTTP-form login driver.`)
      return httpDriver()
    }
  }

  let driver: Promise<LoginDriver> | undefined
  return {
    callbackServer: callback,
    callbackUrlFor: (scenarioId) => callback.urlFor(scenarioId),
    async authorize(request) {
      driver ??= chooseDriver()
      try {
        const outcome = await (await driver).authorize(request)
        return { ...outcome, exchanges: scrubExchanges(outcome.exchanges, recipe.password) }
      } catch (error) {
        if (error instanceof LoginError) {
          const scrubbed = scrubExchanges(error.exchanges, recipe.password)
          error.exchanges.splice(0, error.exchanges.length, ...scrubbed)
        }
        throw error
      }
    },
    async warmUp() {
      driver ??= chooseDriver()
      return (await driver.catch(() => undefined))?.kind
    },
    async releaseScenario(scenarioId) {
      if (driver) await (await driver.catch(() => undefined))?.releaseScenario(scenarioId)
    },
    async close() {
      if (driver) await (await driver.catch(() => undefined))?.close()
      await callback.close()
    },
  }
}
