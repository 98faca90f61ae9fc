/**
 * The browser login driver: a real Chromium through playwright-core. One browser process per
 * run, one browser context per scenario (its cookies are the scenario's user session) with one
 * page that the scenario's authorization requests reuse. Completion is seen by the loopback
 * callback server (the real redirect endpoint), never by intercepting requests.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { HarnessError } from '../errors.ts'
import type { Artifact, ResolvedTarget } from '../types.ts'
import { artifactPath, saveHtmlArtifact } from './artifacts.ts'
import type { CallbackServer } from './callback-server.ts'
import { LoginError } from './login-error.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { consentLocator, runLoginScript, runLoginSteps, showsLoginForm } from './login-steps.ts'
import { watchPage, type PageWatch } from './page-watch.ts'
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

/** Launch Chromium. Throws `E_BROWSER` when it does not start. */
export async function launchChromium(options: {
  executablePath: string
  headed?: boolean
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
      args: CHROMIUM_ARGS,
      timeout: 30_000,
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
  const browser = await launchChromium(options)
  const driver = createPlaywrightDriver(browser, options)
  return {
    ...driver,
    async close() {
      await driver.close()
      await browser.close().catch(() => {})
    },
  }
}

/** A driver on a running browser (one context per scenario); `close()` leaves the browser open. */
export function createPlaywrightDriver(
  browser: Browser,
  options: Omit<PlaywrightDriverOptions, 'executablePath' | 'headed'>,
): LoginDriver {
  const contexts = new Map<string, Promise<BrowserContext>>()
  /** One page per scenario, reused by its authorization requests (a new tab costs ~0.5 s). */
  const pages = new Map<string, Page>()
  const timeoutMs = options.timeoutMs ?? 30_000
  const stepTimeoutMs = options.stepTimeoutMs ?? STEP_TIMEOUT_MS

  function contextFor(scenarioId: string): Promise<BrowserContext> {
    let context = contexts.get(scenarioId)
    if (!context) {
      context = browser.newContext({ ignoreHTTPSErrors: options.ignoreHttpsErrors })
      contexts.set(scenarioId, context)
    }
    return context
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

    try {
      await page.goto(request.url, { waitUntil: 'load', timeout: remaining() })
    } catch (error) {
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
            await runLoginSteps(page, options.recipe, stepTimeout(), markSubmit)
          }
        } catch (error) {
          if (error instanceof HarnessError && error.code === 'E_CONFIG') throw error
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
        return notRedirected(page, watch)
      }
      const moved = await watch.until(() => watch.reached() || watch.loads > before.loads, deadline)
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

  return {
    kind: 'browser',
    async authorize(request) {
      const deadline = Date.now() + timeoutMs
      const context = await contextFor(request.scenarioId)
      context.setDefaultTimeout(stepTimeoutMs)
      if (options.trace) await context.tracing.start({ screenshots: true, snapshots: true })
      let page = pages.get(request.scenarioId)
      if (!page || page.isClosed()) {
        page = await context.newPage()
        pages.set(request.scenarioId, page)
      }
      const current = page
      const onAbort = (): void => void current.close().catch(() => {})
      request.signal?.addEventListener('abort', onAbort, { once: true })
      const watch = watchPage(page, {
        redirectUri: request.redirectUri,
        callback: options.callback,
        deadline,
        signal: request.signal,
      })
      let outcome: AuthorizeOutcome | undefined
      let failure: unknown
      try {
        outcome = await drive(page, watch, request, deadline)
      } catch (error) {
        failure = error
      }
      const foreign = watch.foreignRedirect !== undefined
      watch.stop()
      request.signal?.removeEventListener('abort', onAbort)
      if (foreign || failure !== undefined) {
        // The page may still be navigating (a foreign redirect URI that does not resolve ends on
        // chrome-error://), which would interrupt the scenario's next authorization: start that
        // one on a fresh page.
        pages.delete(request.scenarioId)
        if (!options.trace) await current.close().catch(() => {})
      }
      const extra: Artifact[] = []
      if (options.trace) {
        const path = await artifactPath(
          request.artifactsDir ?? options.artifactsDir,
          'playwright-trace',
          'zip',
        )
        await context.tracing.stop({ path }).then(
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
    },
    async releaseScenario(scenarioId) {
      const context = contexts.get(scenarioId)
      contexts.delete(scenarioId)
      pages.delete(scenarioId)
      if (context) await (await context).close().catch(() => {})
    },
    async close() {
      const open = [...contexts.values()]
      contexts.clear()
      pages.clear()
      await Promise.all(open.map(async (context) => (await context).close().catch(() => {})))
    },
  }
}
