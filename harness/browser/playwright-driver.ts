/**
 * The browser login driver: a real Chromium through playwright-core. One browser process per
 * run; each running scenario leases a context and page from a pool (context-pool.ts), cleared
 * between scenarios, and starts from the run's stored login session unless it tests the login
 * itself (session-store.ts). Completion is seen by the loopback callback server (the real
 * redirect endpoint), never by intercepting requests.
 */
import type { Browser, Cookie, Page } from 'playwright-core'
import { HarnessError } from '../errors.ts'
import type { Artifact, ResolvedTarget } from '../types.ts'
import { artifactPath, saveHtmlArtifact } from './artifacts.ts'
import type { CallbackServer } from './callback-server.ts'
import { LoginError } from './login-error.ts'
import { attempt, freshProgress, sessionRejected, type LoginProgress } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { browserOriginPolicy, refusedHostsSwitch, submissionRefusal } from './origin-guard.ts'
import { consentLocator, runLoginScript, runLoginSteps, showsLoginForm } from './login-steps.ts'
import { watchPage, type PageWatch } from './page-watch.ts'
import { createContextPool, type Lease } from './context-pool.ts'
import { cookieForHosts, createSessionStore, sessionHosts, type SessionStore } from './session-store.ts'
import { addParameters, isRedirectTo, responseParameters } from './redirect-uri.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest, LoginDriver } from './types.ts'

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

/** Chromium switches for an unattended, quiet, reproducible browser. */
export const CHROMIUM_ARGS = [
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

const STEP_TIMEOUT_MS = 10_000
/** How long to wait for the callback document's response event once the callback was hit. */
const CALLBACK_RESPONSE_WAIT_MS = 5_000

/** Whether the server answered the main frame with an error status (a page, maybe empty). */
function answeredWithError(watch: PageWatch): boolean {
  const status = watch.lastDocument?.status()
  return status !== undefined && status >= 400
}

/** Whether a loaded page could still navigate without a click: it has scripts or a meta refresh. */
async function mayNavigateByItself(page: Page): Promise<boolean> {
  try {
    return await page.evaluate(
      () =>
        document.scripts.length > 0 ||
        document.querySelector('meta[http-equiv="refresh" i]') !== null,
    )
  } catch {
    return true // navigating right now
  }
}
const MAX_PAGES = 8

/** What an authorization did on the way, for the stored session (session-store.ts). */

/** Launch Chromium. Throws `E_BROWSER` when it does not start. */
export async function launchChromium(options: {
  executablePath: string
  headed?: boolean
  /** The target allows link-local and metadata addresses; else they never resolve (origin-guard.ts). */
  allowLinkLocal?: boolean
}): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  const runningAsRoot = process.getuid?.() === 0
  try {
    // launch() always starts Chromium on a fresh temporary user-data-dir that it deletes on close
    // (it refuses a --user-data-dir switch), so no profile of the user's is ever touched.
    return await chromium.launch({
      executablePath: options.executablePath,
      // headless adds --headless; the sandbox cannot work as root, so --no-sandbox then.
      headless: !options.headed,
      chromiumSandbox: !runningAsRoot,
      args: [...CHROMIUM_ARGS, ...refusedHostsSwitch(options.allowLinkLocal)],
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

/** A driver on a running browser (one pooled context per scenario); `close()` leaves the browser open. */
export function createPlaywrightDriver(
  browser: Browser,
  options: Omit<PlaywrightDriverOptions, 'executablePath' | 'headed'>,
): LoginDriver {
  const timeoutMs = options.timeoutMs ?? 30_000
  const stepTimeoutMs = options.stepTimeoutMs ?? STEP_TIMEOUT_MS
  const pool = createContextPool(browser, {
    ignoreHttpsErrors: options.ignoreHttpsErrors,
    stepTimeoutMs,
    quietOrigin: options.callback.origin,
  })
  const sessions = options.sessions ?? createSessionStore<Cookie[]>(false)
  const hosts = sessionHosts(options.target)
  const policy = browserOriginPolicy(options.target)
  /** Refuses a click that would submit the password where the target does not allow it. */
  const guardClick = async (page: Page): Promise<void> => {
    const refusal = await submissionRefusal(page, policy, options.recipe.password)
    if (refusal) throw new HarnessError('E_ORIGIN', refusal)
  }
  /** Per running scenario: whether it started from the stored session, and its duty to fill it. */
  const started = new Map<
    string,
    { seeded: boolean; from?: Cookie[]; settle?: (cookies?: Cookie[]) => void }
  >()

  async function begin(lease: Lease, request: BrowserAuthorizeRequest, deadline: number) {
    if (request.freshLogin) return { seeded: false }
    const claim = await sessions.claim(deadline, request.signal)
    if (!claim.session) return { seeded: false, settle: claim.settle }
    await lease.context.addCookies(claim.session)
    return { seeded: true, from: claim.session }
  }

  /** The session cookies a login left in the context, for the scenarios after it. */
  async function capture(lease: Lease): Promise<Cookie[] | undefined> {
    const cookies = (await lease.context.cookies()).filter((c) => cookieForHosts(c.domain, hosts))
    return cookies.length > 0 ? cookies : undefined
  }

  async function captureFailure(page: Page, dir: string): Promise<Artifact[]> {
    const artifacts: Artifact[] = []
    if (page.isClosed()) return artifacts
    try {
      const path = await artifactPath(dir, 'login-failure', 'png')
      await page.screenshot({ path, fullPage: true, timeout: 5_000 })
      artifacts.push({ name: 'login-failure.png', path, contentType: 'image/png' })
    } catch {
      // A crashed page has no screenshot; the HTML may still come.
    }
    try {
      artifacts.push(await saveHtmlArtifact(dir, 'login-failure', await page.content()))
    } catch {
      // Nothing more to save.
    }
    return artifacts
  }

  async function drive(
    page: Page,
    watch: PageWatch,
    request: BrowserAuthorizeRequest,
    deadline: number,
    progress: LoginProgress,
  ) {
    const dir = request.artifactsDir ?? options.artifactsDir
    const fail = async (message: string, cause?: unknown): Promise<never> => {
      throw new LoginError(`browser login: ${message}`, {
        artifacts: await captureFailure(page, dir),
        exchanges: watch.exchanges,
        cause,
      })
    }
    const remaining = (): number => Math.max(1, deadline - Date.now())
    const stepTimeout = (): number => Math.min(stepTimeoutMs, remaining())
    /** A navigation to a refused address errors the step, as in the HTTP-form driver. */
    const stopIfRefused = async (): Promise<void> => {
      if (watch.refused) await fail(watch.refused, new HarnessError('E_ORIGIN', watch.refused))
    }

    try {
      await page.goto(request.url, { waitUntil: 'load', timeout: remaining() })
    } catch (error) {
      await stopIfRefused()
      // A foreign redirect URI may not resolve: the navigation fails, the redirect is captured.
      // A 4xx/5xx with an empty body fails the navigation too (net::ERR_HTTP_RESPONSE_CODE_FAILURE)
      // although the server did answer: that answer is the server's (error) page, as for the
      // HTTP-form driver.
      if (!watch.reached()) {
        if (answeredWithError(watch) && /ERR_HTTP_RESPONSE_CODE_FAILURE/.test(String(error)))
          return notRedirected(page, watch, true)
        await fail(`could not open ${request.url}: ${(error as Error).message}`, error)
      }
    }

    let loginDone = false
    let consents = 0
    for (let pages = 0; pages < MAX_PAGES; pages += 1) {
      await stopIfRefused()
      if (watch.reached()) {
        // The callback page reports the fragment from its script; wait for that report.
        await watch.until(() => watch.finished(), deadline)
        // The callback document's response comes after every redirect hop that led to it, so
        // once it is recorded the hop whose Location named the redirect URI is too.
        if (watch.hit) {
          await watch.until(
            () => watch.exchanges.some((e) => isRedirectTo(e.request.url, request.redirectUri)),
            Math.min(deadline, Date.now() + CALLBACK_RESPONSE_WAIT_MS),
          )
        }
        return finish(page, watch)
      }
      if (!request.login) return notRedirected(page, watch)
      const before = { loads: watch.loads }
      const markSubmit = (): void => {
        before.loads = watch.loads
      }
      if (!loginDone && (options.recipe.script || (await showsLoginForm(page, options.recipe)))) {
        loginDone = true
        progress.loginSubmitted = true
        progress.interacted = true
        try {
          if (options.recipe.script) {
            markSubmit()
            await runLoginScript(page, options.recipe, {
              username: options.recipe.username,
              password: options.recipe.password,
              url: request.url,
              redirectUri: request.redirectUri,
              target: options.target,
            })
          } else {
            await runLoginSteps(page, options.recipe, stepTimeout(), markSubmit, () =>
              guardClick(page),
            )
          }
        } catch (error) {
          if (error instanceof HarnessError && error.code === 'E_CONFIG') throw error
          await stopIfRefused()
          await fail((error as Error).message, error)
        }
      } else if (
        loginDone &&
        (await showsLoginForm(page, options.recipe)) &&
        !options.recipe.script
      ) {
        await fail('the login form came back after the credentials were submitted')
      } else if (consents < 3 && (await consentLocator(page, options.recipe).isVisible())) {
        consents += 1
        progress.interacted = true
        markSubmit()
        try {
          await consentLocator(page, options.recipe).click({ timeout: stepTimeout() })
        } catch (error) {
          await fail(`the consent button could not be clicked: ${(error as Error).message}`, error)
        }
      } else {
        // A server page that is neither login nor consent: an error page, or a script (or a meta
        // refresh) about to navigate. Only the latter can move on by itself: let it settle.
        if (!(await mayNavigateByItself(page))) return notRedirected(page, watch)
        await page
          .waitForLoadState('networkidle', { timeout: Math.min(5_000, remaining()) })
          .catch(() => {})
        if (watch.reached() || watch.loads > before.loads) continue
        if (await showsLoginForm(page, options.recipe)) continue
        await stopIfRefused()
        return notRedirected(page, watch)
      }
      const moved = await watch.until(
        () => watch.reached() || watch.loads > before.loads || watch.refused !== undefined,
        deadline,
      )
      await stopIfRefused()
      if (!moved) await fail(`no page was loaded within ${timeoutMs} ms after the login steps`)
      await page.waitForLoadState('load', { timeout: remaining() }).catch(() => {})
    }
    return fail(`still not redirected to ${request.redirectUri} after ${MAX_PAGES} pages`)
  }

  /**
   * The server's page. `emptyErrorBody`: the navigation failed on an error status with an empty
   * body, where Chromium substitutes its own error page (which `text()` would then return).
   */
  async function notRedirected(
    page: Page,
    watch: PageWatch,
    emptyErrorBody = false,
  ): Promise<AuthorizeOutcome> {
    const document = watch.lastDocument
    let body: string
    try {
      body = emptyErrorBody ? '' : document ? await document.text() : await page.content()
    } catch {
      body = await page.content()
    }
    return {
      url: emptyErrorBody && document ? document.url() : page.url(),
      redirected: false,
      query: {},
      driver: 'browser',
      exchanges: watch.exchanges,
      artifacts: [],
      status: document?.status() ?? 0,
      body,
    }
  }

  function finish(page: Page, watch: PageWatch): AuthorizeOutcome {
    const base = {
      redirected: true,
      driver: 'browser' as const,
      exchanges: watch.exchanges,
      artifacts: [],
    }
    const hit = watch.hit
    if (hit) {
      // The fragment as reported by the page's script, else as the page's URL shows it.
      const fragment = hit.fragmentReported
        ? (hit.fragment ?? '')
        : new URL(page.url()).hash.slice(1)
      const query = { ...hit.query, ...hit.form }
      if (fragment !== '') addParameters(query, new URLSearchParams(fragment))
      return { ...base, url: fragment === '' ? hit.url : `${hit.url}#${fragment}`, query }
    }
    const foreign = watch.foreignRedirect
    const url = foreign?.url() ?? page.url()
    const query = responseParameters(url)
    const posted = foreign?.method() === 'POST' ? foreign.postData() : null
    if (posted) addParameters(query, new URLSearchParams(posted))
    return { ...base, url, query }
  }

  /** One authorization on the lease's page (the lease is held exclusively). */
  async function authorizeOn(
    lease: Lease,
    request: BrowserAuthorizeRequest,
    deadline: number,
    progress: LoginProgress,
  ): Promise<AuthorizeOutcome> {
    if (options.trace) await lease.context.tracing.start({ screenshots: true, snapshots: true })
    const page = await lease.page()
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
    try {
      outcome = await drive(page, watch, request, deadline, progress)
    } catch (error) {
      failure = error
    }
    const foreign = watch.foreignRedirect !== undefined
    watch.stop()
    await watch.settled()
    request.signal?.removeEventListener('abort', onAbort)
    // The page may still be navigating (a foreign redirect URI that does not resolve ends on
    // chrome-error://), which would interrupt the next authorization: that one gets a new page.
    if ((foreign || failure !== undefined) && !options.trace) await lease.dropPage()
    const extra: Artifact[] = []
    if (options.trace) {
      const path = await artifactPath(
        request.artifactsDir ?? options.artifactsDir,
        'playwright-trace',
        'zip',
      )
      await lease.context.tracing.stop({ path }).then(
        () => extra.push({ name: 'playwright-trace.zip', path, contentType: 'application/zip' }),
        () => {},
      )
    }
    if (failure !== undefined || !outcome) {
      if (failure instanceof LoginError) failure.artifacts.push(...extra)
      if (request.signal?.aborted) throw request.signal.reason ?? failure
      throw failure
    }
    outcome.artifacts.push(...extra)
    return outcome
  }

  return {
    kind: 'browser',
    async authorize(request) {
      const { lease, isNew } = await pool.lease(request.scenarioId)
      return lease.exclusive(async () => {
        const deadline = Date.now() + timeoutMs
        if (isNew) started.set(request.scenarioId, await begin(lease, request, deadline))
        const state = started.get(request.scenarioId) ?? { seeded: false }
        let progress = freshProgress()
        let outcome: AuthorizeOutcome | undefined
        try {
          let tried = await attempt(() => authorizeOn(lease, request, deadline, progress))
          if (state.from && !request.signal?.aborted && sessionRejected(tried, progress)) {
            // The server did not take the stored session: log in from a clean context, and let
            // this session replace the stored one (login-progress.ts).
            await lease.context.clearCookies()
            const stale = state.from
            state.seeded = false
            state.from = undefined
            progress = freshProgress()
            tried = await attempt(() => authorizeOn(lease, request, Date.now() + timeoutMs, progress))
            const fresh = 'outcome' in tried && tried.outcome.redirected
            const replacement = fresh ? await capture(lease).catch(() => undefined) : undefined
            sessions.replace(stale, replacement)
            state.from = replacement
          }
          if ('error' in tried) throw tried.error
          outcome = tried.outcome
          return { ...outcome, sessionReused: state.seeded && !progress.loginSubmitted }
        } finally {
          // Only the scenario's first authorization may fill the store (see session-store.ts).
          const settle = state.settle
          state.settle = undefined
          if (settle) {
            const loggedIn = outcome?.redirected === true && progress.loginSubmitted
            const captured = loggedIn ? await capture(lease).catch(() => undefined) : undefined
            settle(captured)
            // Stored now, shared with other scenarios (login-progress.ts).
            if (sessions.enabled) state.from ??= captured
          }
        }
      })
    },
    async releaseScenario(scenarioId) {
      started.get(scenarioId)?.settle?.()
      started.delete(scenarioId)
      await pool.release(scenarioId)
    },
    async close() {
      for (const state of started.values()) state.settle?.()
      started.clear()
      await pool.close()
    },
  }
}
