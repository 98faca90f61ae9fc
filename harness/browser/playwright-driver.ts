/**
 * The browser login driver: a real Chromium through playwright-core. One browser process per
 * run; each running scenario leases a context and page from a pool (context-pool.ts), cleared
 * between scenarios, and starts from the run's stored login session unless it tests the login
 * itself (session-store.ts). Completion is a hit on the loopback callback server (the real
 * redirect endpoint), answered in the browser when the page can (callback-intercept.ts) and by
 * the server itself otherwise. The page-by-page flow is login-flow.ts;
 * the credential origin policy is kept by origin-guard.ts (addresses, form targets, the pages a
 * recipe acts on) and redirect-guard.ts (307/308 hops that would re-send a credential).
 */
import type { Browser, Cookie, Page } from 'playwright-core'
import { HarnessError } from '../errors.ts'
import type { ResolvedTarget } from '../model/target.ts'
import type { Artifact } from '../model/result.ts'
import { captureFailure } from './artifacts.ts'
import { onCallbackServer, type CallbackServer } from './callback-server.ts'
import { LoginError } from './login-error.ts'
import { runLoginFlow, type FlowSettings } from './login-flow.ts'
import type { LoginProgress } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { recipeGuard, refusedHostsSwitch } from './origin-guard.ts'
import { targetOriginPolicy } from '../http/origin-policy.ts'
import { browserProxy, proxyFromEnv } from '../http/proxy.ts'
import { refreshes } from './page-shape.ts'
import { watchPage } from './page-watch.ts'
import { createContextPool, type ContextPool, type Lease } from './context-pool.ts'
import {
  interceptDocuments,
  type ArrivalAnswers,
  type PageInterception,
} from './document-interception.ts'
import type { RedirectRules } from './redirect-guard.ts'
import { authorizeWithSession, beginScenario } from './session-reuse.ts'
import type { ScenarioSession, SessionHolder } from './session-reuse.ts'
import { cookieForHosts, createSessionStore, sessionHosts, type SessionStore } from './session-store.ts'
import { browserSecrets, startTrace, stopTrace } from './trace.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest, LoginDriver } from './types.ts'
import { playwrightCore } from './playwright-module.ts'

export interface PlaywrightDriverOptions {
  executablePath: string
  headed?: boolean
  /** Keep a Playwright trace zip of every authorization as an artifact. */
  trace?: boolean
  /**
   * Accept the target's certificate without Chromium's own verification. Only for targets with a
   * custom CA or `insecure` TLS: Chromium trusts the system store and cannot take a PEM per
   * context, while the harness's HttpClient still verifies the same server against that CA.
   */
  ignoreHttpsErrors: boolean
  recipe: ResolvedLoginRecipe
  callback: CallbackServer
  target: ResolvedTarget
  /** Where artifacts go when a request names no folder. */
  artifactsDir: string
  /** Budget of one authorization (default 30 s). */
  timeoutMs?: number
  /** Budget of one login step (default 10 s). */
  stepTimeoutMs?: number
  /** The run's stored login session (default: none, every scenario logs in). */
  sessions?: SessionStore<Cookie[]>
}

/**
 * The features playwright-core 1.65 switches off with its own `--disable-features`. Chromium
 * reads only the last `--disable-features` of its command line and ours comes after Playwright's,
 * so ours repeats them (test/harness/browser/playwright-driver-switches.test.ts fails when
 * Playwright's list changes).
 */
const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'TcpPortRandomizationWin',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  'msForceBrowserSignIn',
  'msEdgeUpdateLaunchServicesPreferredVersion',
]

/**
 * - SpareRendererForSitePerProcess: Chromium keeps a spare renderer process warm for the browser
 *   context it used last, and throws it away when another context navigates: with a context per
 *   running scenario, that is a new renderer nearly every navigation (2x Chromium's CPU in
 *   bench/README.md's measurement).
 * - RenderDocument: a new frame host for every navigation, even one to the same site or one the
 *   harness answers before it commits (an arrival at the callback). Without it, the frame host is
 *   reused, as Chromium did before; what a page sees is the same. A third of Chromium's CPU per
 *   error page, a quarter per callback arrival (bench/README.md).
 */
const OUR_DISABLED_FEATURES = ['SpareRendererForSitePerProcess', 'RenderDocument']

/** Chromium switches for an unattended, quiet, reproducible browser. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...OUR_DISABLED_FEATURES].join(',')}`,
]

const STEP_TIMEOUT_MS = 10_000
/**
 * How long a seen arrival at a foreign redirect URI may take to be answered in the browser (our
 * handler gets Chromium's pause just after Playwright's request event); past it the page is
 * replaced.
 */
const ANSWER_WAIT_MS = 2_000

/** Launch Chromium. Throws `E_BROWSER` when it does not start. */
export async function launchChromium(options: {
  executablePath: string
  headed?: boolean
  /** The target allows link-local and metadata addresses; else they never resolve (origin-guard.ts). */
  allowLinkLocal?: boolean
}): Promise<Browser> {
  const { chromium } = playwrightCore()
  const runningAsRoot = process.getuid?.() === 0
  const proxy = browserProxy(proxyFromEnv())
  try {
    // launch() always starts Chromium on a fresh temporary user-data-dir that it deletes on close
    // (it refuses a --user-data-dir switch), so no profile of the user's is ever touched.
    return await chromium.launch({
      executablePath: options.executablePath,
      // headless adds --headless; the sandbox cannot work as root, so --no-sandbox then.
      headless: !options.headed,
      chromiumSandbox: !runningAsRoot,
      args: [...CHROMIUM_ARGS, ...refusedHostsSwitch(options.allowLinkLocal)],
      // The run's proxy (harness/http/proxy.ts), as the HTTP client uses it.
      ...(proxy ? { proxy } : {}),
      timeout: 30_000,
      // The harness owns Ctrl-C (harness/cli.ts): it finishes the run, deletes the registered
      // clients and closes the browser itself. Playwright's own handlers would exit at once.
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    })
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0]
    throw new HarnessError(
      'E_BROWSER',
      `Chromium at ${options.executablePath} did not start: ${reason}`,
      {
        cause: error,
      },
    )
  }
}

/** Launch Chromium and drive it; closing the driver closes the browser. */
export async function launchPlaywrightDriver(
  options: PlaywrightDriverOptions,
): Promise<LoginDriver> {
  const browser = await launchChromium({
    ...options,
    allowLinkLocal: options.target.allow_link_local === true,
  })
  const driver = createPlaywrightDriver(browser, options)
  return {
    ...driver,
    async close() {
      await driver.close()
      await browser.close().catch(() => {})
    },
  }
}

type ScenarioState = ScenarioSession<Cookie[]>

type DriverSettings = Omit<PlaywrightDriverOptions, 'executablePath' | 'headed'>

/** What every authorization of one driver shares. */
interface DriverParts {
  options: DriverSettings
  timeoutMs: number
  flow: FlowSettings
  /** Where each page's refused redirect hops go: its running authorization's watch. */
  refusals: WeakMap<Page, (reason: string) => void>
  /** Per page: its interception, told of each foreign redirect URI before it is used. */
  interceptions: WeakMap<Page, PageInterception>
  pool: ContextPool
  sessions: SessionStore<Cookie[]>
  /** Hosts whose cookies make up the stored session. */
  hosts: string[]
}

function driverParts(browser: Browser, options: DriverSettings): DriverParts {
  const stepTimeoutMs = options.stepTimeoutMs ?? STEP_TIMEOUT_MS
  const timeoutMs = options.timeoutMs ?? 30_000
  // As the HTTP client's, less the cleartext probe's origin: the browser never makes that probe.
  const policy = targetOriginPolicy(options.target)
  const password = options.recipe.password
  const refusals = new WeakMap<Page, (reason: string) => void>()
  const interceptions = new WeakMap<Page, PageInterception>()
  // Redirect hops that would carry a credential off the allowed origins (redirect-guard.ts).
  const redirects: RedirectRules = { policy, ownOrigins: [options.callback.origin] }
  return {
    options,
    timeoutMs,
    flow: {
      recipe: options.recipe,
      target: options.target,
      timeoutMs,
      stepTimeoutMs,
      artifactsDir: options.artifactsDir,
      guardStep: (page) => recipeGuard(page, policy, password),
      captureFailure: (page, dir, exchanges) =>
        captureFailure(page, dir, browserSecrets(exchanges, {}, password)),
    },
    refusals,
    interceptions,
    pool: createContextPool(browser, {
      ignoreHttpsErrors: options.ignoreHttpsErrors,
      stepTimeoutMs,
      quietOrigin: options.callback.origin,
      setUpPage: async (page, cdp) => {
        const interception = await interceptDocuments(cdp, {
          redirects,
          onRefused: (why) => refusals.get(page)?.(why),
          callback: options.callback,
        })
        interceptions.set(page, interception)
      },
    }),
    sessions: options.sessions ?? createSessionStore<Cookie[]>(false),
    hosts: sessionHosts(options.target),
  }
}

/** The lease's context as session-reuse.ts holds it. */
function holderOf(parts: DriverParts, lease: Lease): SessionHolder<Cookie[]> {
  return {
    restore: (cookies) => lease.context.addCookies(cookies),
    clear: () => lease.context.clearCookies(),
    capture: () => capture(parts, lease),
  }
}

/** The session cookies a login left in the context, for the scenarios after it. */
async function capture(parts: DriverParts, lease: Lease): Promise<Cookie[] | undefined> {
  const cookies = (await lease.context.cookies()).filter((c) => cookieForHosts(c.domain, parts.hosts))
  return cookies.length > 0 ? cookies : undefined
}

/** One authorization on the lease's page (the lease is held exclusively). */
async function authorizeOn(
  parts: DriverParts,
  lease: Lease,
  request: BrowserAuthorizeRequest,
  deadline: number,
  progress: LoginProgress,
): Promise<AuthorizeOutcome> {
  const { options } = parts
  if (options.trace) await startTrace(lease.context)
  const page = await lease.page()
  const foreignAnswers = await answerForeignArrival(parts, page, request.redirectUri)
  const onAbort = (): void => void page.close().catch(() => {})
  request.signal?.addEventListener('abort', onAbort, { once: true })
  const watch = watchPage(page, {
    redirectUri: request.redirectUri,
    callback: options.callback,
    deadline,
    signal: request.signal,
    allowLinkLocal: options.target.allow_link_local === true,
  })
  let outcome: AuthorizeOutcome | undefined
  let failure: unknown
  parts.refusals.set(page, watch.refuse)
  try {
    outcome = await runLoginFlow(page, watch, request, { deadline, progress, settings: parts.flow })
  } catch (error) {
    failure = error
  }
  parts.refusals.delete(page)
  // An arrival answered in the browser leaves the page as it was.
  const leftForeign =
    watch.foreignRedirect !== undefined && !(await foreignAnswers?.answered(ANSWER_WAIT_MS))
  foreignAnswers?.forget()
  watch.stop()
  await watch.settled()
  request.signal?.removeEventListener('abort', onAbort)
  // The trace ends with the authorization (a trace belongs to the context, not the page).
  const trace = options.trace ? await endTrace(parts, lease, request, watch.exchanges, outcome) : []
  // The page may still be navigating (to a foreign redirect URI that was not answered in the
  // browser, which ends on chrome-error:// when it does not resolve), which would interrupt the
  // next authorization: that one gets a new page. Else the server's last page may still be there
  // (an arrival answered in the browser commits no page): none of its scripts may act during the
  // next authorization.
  if (leftForeign || failure !== undefined) await lease.dropPage()
  else await lease.quietPage({ active: refreshes(watch.lastDocument) })
  if (failure !== undefined || !outcome) {
    if (failure instanceof LoginError) failure.artifacts.push(...trace)
    if (request.signal?.aborted) throw request.signal.reason ?? failure
    throw failure
  }
  outcome.artifacts.push(...trace)
  return outcome
}

/**
 * A foreign redirect URI's arrival is answered in the browser (foreign-arrival.ts); undefined for
 * our callback server's (answered by callback-intercept.ts) or one that cannot be paused.
 */
async function answerForeignArrival(
  parts: DriverParts,
  page: Page,
  redirectUri: string,
): Promise<ArrivalAnswers | undefined> {
  if (onCallbackServer(parts.options.callback, redirectUri)) return undefined
  return parts.interceptions.get(page)?.answerArrivalsAt(redirectUri).catch(() => undefined)
}

/** The authorization's trace zip, with the browser's secrets masked (trace.ts). */
async function endTrace(
  parts: DriverParts,
  lease: Lease,
  request: BrowserAuthorizeRequest,
  exchanges: AuthorizeOutcome['exchanges'],
  outcome: AuthorizeOutcome | undefined,
): Promise<Artifact[]> {
  const secrets = browserSecrets(exchanges, outcome?.query ?? {}, parts.options.recipe.password)
  const dir = request.artifactsDir ?? parts.options.artifactsDir
  const trace = await stopTrace(lease.context, dir, secrets)
  return trace ? [trace] : []
}

/**
 * The scenario's authorization, from the stored session when it has one; a second try (the
 * server did not take the session) gets a deadline of its own.
 */
function authorizeScenario(
  parts: DriverParts,
  lease: Lease,
  state: ScenarioState,
  request: BrowserAuthorizeRequest,
  deadline: number,
): Promise<AuthorizeOutcome> {
  const run = (progress: LoginProgress, retry: boolean) =>
    authorizeOn(parts, lease, request, retry ? Date.now() + parts.timeoutMs : deadline, progress)
  return authorizeWithSession(parts.sessions, holderOf(parts, lease), state, request.signal, run)
}

/** A driver on a running browser (one pooled context per scenario); `close()` leaves the browser open. */
export function createPlaywrightDriver(browser: Browser, options: DriverSettings): LoginDriver {
  const parts = driverParts(browser, options)
  const started = new Map<string, ScenarioState>()
  return {
    kind: 'browser',
    async authorize(request) {
      const { lease, isNew } = await parts.pool.lease(request.scenarioId)
      return lease.exclusive(async () => {
        const deadline = Date.now() + parts.timeoutMs
        if (isNew) {
          const holder = holderOf(parts, lease)
          started.set(request.scenarioId, await beginScenario(parts.sessions, holder, request, deadline))
        }
        const state = started.get(request.scenarioId) ?? { seeded: false }
        return authorizeScenario(parts, lease, state, request, deadline)
      })
    },
    async releaseScenario(scenarioId) {
      started.get(scenarioId)?.settle?.()
      started.delete(scenarioId)
      // Cleared while the lane goes on with its next scenario's first steps (context-pool.ts).
      void parts.pool.release(scenarioId)
    },
    async close() {
      for (const state of started.values()) state.settle?.()
      started.clear()
      await parts.pool.close()
    },
  }
}
