/**
 * The run's login machinery: the loopback callback server (started at once: scenarios register
 * `run.callback_url` even without a browser) and a login driver chosen on first use: a real
 * Chromium when one is found (`--login-driver auto|browser`), else the HTTP-form driver.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { HttpClient } from '../http/types.ts'
import { HarnessError } from '../errors.ts'
import type { ResolvedTarget } from '../model/target.ts'
import { startCallbackServer, type CallbackServer } from './callback-server.ts'
import { discoverBrowser, type BrowserDiscoveryOptions } from './discovery.ts'
import { LoginError } from './login-error.ts'
import { resolveLoginRecipe, type ResolvedLoginRecipe } from './login-recipe.ts'
import { scrubExchanges } from './scrub.ts'
import { credentialRedirectStatuses } from './credential-redirects.ts'
import { createSessionStore, sessionHosts } from './session-store.ts'
import type { BrowserAuthorizeRequest, BrowserServices, LoginDriver } from './types.ts'

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

/** What the run's login machinery shares; `driver` is set on first use. */
interface Services {
  options: BrowserServicesOptions
  callback: CallbackServer
  recipe: ResolvedLoginRecipe
  artifactsDir: string
  /** One driver per run, so one store; each driver keeps the session in its own form. */
  reuse: boolean
  driver?: Promise<LoginDriver>
  /** Scenarios that asked for an authorization: only they hold anything of the driver's. */
  authorizing: Set<string>
}

// Each driver's module graph loads on the first authorization, off the start of the run:
// an HTTP-driver run never loads the Playwright driver, a run without logins neither.
async function startHttpDriver(s: Services): Promise<LoginDriver> {
  const { createHttpFormDriver } = await import('./http-form-driver.ts')
  return createHttpFormDriver({
    http: s.options.http,
    recipe: s.recipe,
    callbackOrigin: s.callback.origin,
    artifactsDir: s.artifactsDir,
    sessions: createSessionStore(s.reuse),
    sessionHosts: sessionHosts(s.options.target),
  })
}

async function startBrowserDriver(s: Services, executablePath: string): Promise<LoginDriver> {
  const { options } = s
  const tls = options.target.tls
  const { launchPlaywrightDriver } = await import('./playwright-driver.ts')
  return launchPlaywrightDriver({
    executablePath,
    headed: options.headed,
    trace: options.trace,
    ignoreHttpsErrors: Boolean(tls?.ca || tls?.insecure),
    recipe: s.recipe,
    callback: s.callback,
    target: options.target,
    artifactsDir: s.artifactsDir,
    timeoutMs: options.timeoutMs,
    sessions: createSessionStore(s.reuse),
  })
}

/** Chromium when found and it starts; else the HTTP-form driver, unless `browser` was asked. */
async function chooseDriver(s: Services): Promise<LoginDriver> {
  const { options } = s
  if (options.driver === 'http') return startHttpDriver(s)
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
    return startHttpDriver(s)
  }
  try {
    return await startBrowserDriver(s, found.executable)
  } catch (error) {
    if (options.driver === 'browser') throw error
    options.notice(`${(error as Error).message}; using the HTTP-form login driver.`)
    return startHttpDriver(s)
  }
}

/** One authorization; the recipe's password is scrubbed from its exchanges, failed or not. */
async function authorize(
  s: Services,
  request: BrowserAuthorizeRequest,
): ReturnType<BrowserServices['authorize']> {
  s.driver ??= chooseDriver(s)
  s.authorizing.add(request.scenarioId)
  const password = s.recipe.password
  try {
    const outcome = await (await s.driver).authorize(request)
    return {
      ...outcome,
      // Found before the scrub: it looks for the password in the bodies.
      credentialRedirectStatuses: credentialRedirectStatuses(
        outcome.exchanges,
        password,
        outcome.sessionReused === true,
      ),
      exchanges: scrubExchanges(outcome.exchanges, password),
    }
  } catch (error) {
    if (error instanceof LoginError) {
      const scrubbed = scrubExchanges(error.exchanges, password)
      error.exchanges.splice(0, error.exchanges.length, ...scrubbed)
    }
    throw error
  }
}

/** The started driver, or undefined when none was asked for or it could not start. */
async function startedDriver(s: Services): Promise<LoginDriver | undefined> {
  return s.driver ? s.driver.catch(() => undefined) : undefined
}

/** Start the callback server; the driver is chosen and started on the first authorization. */
export async function createBrowserServices(
  options: BrowserServicesOptions,
): Promise<RunBrowserServices> {
  const callback = await startCallbackServer(options.target.callback?.port)
  const s: Services = {
    options,
    callback,
    recipe: resolveLoginRecipe(options.target.login),
    artifactsDir: options.artifactsDir ?? join(tmpdir(), 'dcr-conformance-artifacts'),
    reuse: options.sessionReuse !== false,
    authorizing: new Set(),
  }
  return {
    callbackServer: callback,
    callbackUrlFor: (scenarioId) => callback.urlFor(scenarioId),
    authorize: (request) => authorize(s, request),
    async warmUp() {
      s.driver ??= chooseDriver(s)
      return (await startedDriver(s))?.kind
    },
    async releaseScenario(scenarioId) {
      // Any other scenario has nothing to release, and no reason to wait for Chromium's start.
      if (!s.authorizing.delete(scenarioId)) return
      await (await startedDriver(s))?.releaseScenario(scenarioId)
    },
    async close() {
      await (await startedDriver(s))?.close()
      await callback.close()
    },
  }
}
