/**
 * One authorization in a Playwright page, page by page: open the authorization URL, then on each
 * page the server shows, log in, consent, or let the page's script move on, until the browser
 * reaches the redirect URI (page-watch.ts sees it) or stays on a page of the server's. The driver
 * (playwright-driver.ts) owns the page, the watch, the guards and the artifacts.
 */
import type { Page } from 'playwright-core'
import { HarnessError } from '../errors.ts'
import type { Artifact, Exchange } from '../model/result.ts'
import type { LoginStep, ResolvedTarget } from '../model/target.ts'
import { isRedirectTo } from '../oauth/redirect-uri.ts'
import { LoginError } from './login-error.ts'
import type { LoginProgress } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { consentLocator, runLoginScript, runLoginSteps, showsLoginForm } from './login-steps.ts'
import { notRedirected, redirectedOutcome } from './page-outcome.ts'
import { mayLogInOrConsent, readPageShape, refreshes, type PageShape } from './page-shape.ts'
import type { PageWatch } from './page-watch.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest } from './types.ts'

/** Pages one authorization may go through before the driver gives up. */
const MAX_PAGES = 8
/** How long to wait for the callback document's response event once the callback was hit. */
const CALLBACK_RESPONSE_WAIT_MS = 5_000
/**
 * How long a failed navigation waits for the arrival that may have failed it: Chromium can
 * report the navigation interrupted (a foreign redirect URI's error page) before the watch has
 * recorded the redirect that led there. Also how long it waits for the document an error page
 * interrupted for a moment (pastErrorPage).
 */
const ARRIVAL_AFTER_FAILURE_MS = 2_000
/** Consent pages one authorization may click through. */
const MAX_CONSENTS = 3

/** What a flow needs from its driver. */
export interface FlowSettings {
  recipe: ResolvedLoginRecipe
  target: ResolvedTarget
  timeoutMs: number
  stepTimeoutMs: number
  /** Where artifacts go when the request names no folder. */
  artifactsDir: string
  /** Throws when a recipe step must not act on the page (origin-guard.ts recipeGuard). */
  guardStep(page: Page): (step: LoginStep, index: number) => Promise<void>
  /** What the page shows when the login fails, saved as artifacts (artifacts.ts). */
  captureFailure(page: Page, dir: string, exchanges: Exchange[]): Promise<Artifact[]>
}

interface Flow {
  page: Page
  watch: PageWatch
  request: BrowserAuthorizeRequest
  deadline: number
  progress: LoginProgress
  settings: FlowSettings
  loginDone: boolean
  consents: number
  /** Main-frame loads before the current page's submit: a later load is the next page. */
  loadsBefore: number
}

/** What handling one page came to: the flow's outcome, or the next page to wait for. */
type PageStep = { outcome: AuthorizeOutcome } | 'wait' | 'again'

async function fail(flow: Flow, message: string, cause?: unknown): Promise<never> {
  const dir = flow.request.artifactsDir ?? flow.settings.artifactsDir
  throw new LoginError(`browser login: ${message}`, {
    artifacts: await flow.settings.captureFailure(flow.page, dir, flow.watch.exchanges),
    exchanges: flow.watch.exchanges,
    cause,
  })
}

const remaining = (flow: Flow): number => Math.max(1, flow.deadline - Date.now())
const stepTimeout = (flow: Flow): number => Math.min(flow.settings.stepTimeoutMs, remaining(flow))

/** A navigation or redirect the guards refused errors the step, as in the HTTP-form driver. */
async function stopIfRefused(flow: Flow): Promise<void> {
  const refused = flow.watch.refused
  if (refused) await fail(flow, refused, new HarnessError('E_ORIGIN', refused))
}

/** Whether the server answered the main frame with an error status (a page, maybe empty). */
function answeredWithError(watch: PageWatch): boolean {
  const status = watch.lastDocument?.status()
  return status !== undefined && status >= 400
}

/**
 * Navigate to the authorization URL until the page has loaded or the browser reached the
 * redirect URI. An arrival answered in the browser (callback-intercept.ts, foreign-arrival.ts)
 * commits no page, so no load may follow it: a form_post page that submits while it parses
 * never finishes loading.
 */
async function navigate(flow: Flow): Promise<void> {
  const { page, request } = flow
  const navigation = page.goto(request.url, { waitUntil: 'load', timeout: remaining(flow) })
  navigation.catch(() => {}) // still running when the arrival came first
  await loadedOrArrived(flow, navigation)
}

/** `loading` settled, or the browser reached the redirect URI first (then `loading` is left). */
async function loadedOrArrived(flow: Flow, loading: Promise<unknown>): Promise<void> {
  const arrival = flow.watch.until(() => flow.watch.reached(), flow.deadline)
  await Promise.race([loading, arrival.then((reached) => (reached ? undefined : loading))])
}

/** Chromium's words for a navigation that an error page (chrome-error://) replaced. */
const INTERRUPTED_BY_ERROR_PAGE = /interrupted by another navigation to "chrome-error:/

/**
 * Whether a navigation that failed got past the error page that interrupted it: under load
 * Chromium was seen committing chrome-error:// for a moment, with no request failed, and then
 * the document the navigation was loading. `now` is the main frame since: its loads and URL.
 * The flow then goes on from that document, as from any page it opens.
 */
export function pastErrorPage(
  error: unknown,
  loadsBefore: number,
  now: { loads: number; url: string },
): boolean {
  return (
    INTERRUPTED_BY_ERROR_PAGE.test(String(error)) &&
    now.loads > loadsBefore &&
    !now.url.startsWith('chrome-error:')
  )
}

/** Open the authorization URL; an outcome when the server's answer ends the flow at once. */
async function open(flow: Flow): Promise<AuthorizeOutcome | undefined> {
  const { page, watch, request } = flow
  const loadsBefore = watch.loads
  try {
    await navigate(flow)
  } catch (error) {
    await stopIfRefused(flow)
    // A foreign redirect URI may not resolve, and an arrival answered in the browser ends the
    // navigation (net::ERR_ABORTED): the navigation fails, the redirect is captured.
    // A 4xx/5xx with an empty body fails the navigation too (net::ERR_HTTP_RESPONSE_CODE_FAILURE)
    // although the server did answer: that answer is the server's (error) page, as for the
    // HTTP-form driver.
    if (watch.reached()) return undefined
    if (answeredWithError(watch) && /ERR_HTTP_RESPONSE_CODE_FAILURE/.test(String(error))) {
      return notRedirected(page, watch, true)
    }
    const grace = Math.min(flow.deadline, Date.now() + ARRIVAL_AFTER_FAILURE_MS)
    const moved = () =>
      watch.reached() || pastErrorPage(error, loadsBefore, { loads: watch.loads, url: page.url() })
    if (await watch.until(moved, grace)) {
      // As after a submit: a form_post page that submits while it parses never finishes loading.
      if (!watch.reached()) {
        const loading = page.waitForLoadState('load', { timeout: remaining(flow) }).catch(() => {})
        await loadedOrArrived(flow, loading)
      }
      return undefined
    }
    await fail(flow, `could not open ${request.url}: ${(error as Error).message}`, error)
  }
  return undefined
}

/** The browser reached the redirect URI: wait until all of it is known, then the outcome. */
async function arrive(flow: Flow): Promise<AuthorizeOutcome> {
  const { watch, request } = flow
  // The callback page reports the fragment from its script; wait for that report.
  await watch.until(() => watch.finished(), flow.deadline)
  // The callback document's response comes after every redirect hop that led to it, so once it
  // is recorded the hop whose Location named the redirect URI is too.
  if (watch.hit) {
    await watch.until(
      () => watch.exchanges.some((e) => isRedirectTo(e.request.url, request.redirectUri)),
      Math.min(flow.deadline, Date.now() + CALLBACK_RESPONSE_WAIT_MS),
    )
  }
  return redirectedOutcome(flow.page, watch)
}

/** Fill and submit the login form (the recipe's steps, or its script). */
async function logIn(flow: Flow): Promise<void> {
  const { page, settings, request } = flow
  const { recipe } = settings
  flow.loginDone = true
  flow.progress.loginSubmitted = true
  flow.progress.interacted = true
  const markSubmit = (): void => {
    flow.loadsBefore = flow.watch.loads
  }
  try {
    if (recipe.script) {
      markSubmit()
      await runLoginScript(page, recipe, {
        username: recipe.username,
        password: recipe.password,
        url: request.url,
        redirectUri: request.redirectUri,
        target: settings.target,
      })
    } else {
      const hooks = { beforeSubmit: markSubmit, beforeAct: settings.guardStep(page) }
      await runLoginSteps(page, recipe, stepTimeout(flow), hooks)
    }
  } catch (error) {
    if (error instanceof HarnessError && error.code === 'E_CONFIG') throw error
    await stopIfRefused(flow)
    await fail(flow, (error as Error).message, error)
  }
}

async function consent(flow: Flow): Promise<void> {
  flow.consents += 1
  flow.progress.interacted = true
  flow.loadsBefore = flow.watch.loads
  try {
    await consentLocator(flow.page, flow.settings.recipe).click({ timeout: stepTimeout(flow) })
  } catch (error) {
    await fail(flow, `the consent button could not be clicked: ${(error as Error).message}`, error)
  }
}

/**
 * A server page that is neither login nor consent: an error page, or a script (or a meta
 * refresh) about to navigate. Only the latter can move on by itself: let it settle.
 */
async function letPageMove(flow: Flow, shape: PageShape | undefined): Promise<PageStep> {
  const { page, watch } = flow
  // An unreadable page is navigating right now.
  if (shape && !shape.mayNavigate) return { outcome: await notRedirected(page, watch) }
  await page
    .waitForLoadState('networkidle', { timeout: Math.min(5_000, remaining(flow)) })
    .catch(() => {})
  if (watch.reached() || watch.loads > flow.loadsBefore) return 'again'
  if (await showsLoginForm(page, flow.settings.recipe)) return 'again'
  await stopIfRefused(flow)
  return { outcome: await notRedirected(page, watch) }
}

/** Handle the page the browser shows now. */
async function onPage(flow: Flow): Promise<PageStep> {
  const { page, watch, settings } = flow
  if (watch.reached()) return { outcome: await arrive(flow) }
  if (!flow.request.login) return { outcome: await notRedirected(page, watch) }
  flow.loadsBefore = watch.loads
  const read = await readPageShape(page)
  const shape = read && refreshes(watch.lastDocument) ? { ...read, mayNavigate: true } : read
  if (!mayLogInOrConsent(shape, settings.recipe)) return letPageMove(flow, shape)
  const script = settings.recipe.script !== undefined
  if (!flow.loginDone && (script || (await showsLoginForm(page, settings.recipe)))) {
    await logIn(flow)
    return 'wait'
  }
  if (flow.loginDone && !script && (await showsLoginForm(page, settings.recipe))) {
    return fail(flow, 'the login form came back after the credentials were submitted')
  }
  if (flow.consents < MAX_CONSENTS && (await consentLocator(page, settings.recipe).isVisible())) {
    await consent(flow)
    return 'wait'
  }
  return letPageMove(flow, shape)
}

/** After a submit: wait for the next page (or the redirect, or a refusal). */
async function waitForNextPage(flow: Flow): Promise<void> {
  const { watch } = flow
  const moved = await watch.until(
    () => watch.reached() || watch.loads > flow.loadsBefore || watch.refused !== undefined,
    flow.deadline,
  )
  await stopIfRefused(flow)
  if (!moved) {
    await fail(flow, `no page was loaded within ${flow.settings.timeoutMs} ms after the login steps`)
  }
  // An arrival answered in the browser ends the wait too: a form_post page that submits while it
  // parses never finishes loading once its submission was answered with a 204 (see navigate).
  const loaded = flow.page.waitForLoadState('load', { timeout: remaining(flow) }).catch(() => {})
  await loadedOrArrived(flow, loaded)
}

/** Run one authorization on `page` (watched by `watch`) to its outcome; throws a LoginError. */
export async function runLoginFlow(
  page: Page,
  watch: PageWatch,
  request: BrowserAuthorizeRequest,
  context: { deadline: number; progress: LoginProgress; settings: FlowSettings },
): Promise<AuthorizeOutcome> {
  const flow: Flow = { page, watch, request, ...context, loginDone: false, consents: 0, loadsBefore: 0 }
  const early = await open(flow)
  if (early) return early
  for (let pages = 0; pages < MAX_PAGES; pages += 1) {
    await stopIfRefused(flow)
    const step = await onPage(flow)
    if (typeof step === 'object') return step.outcome
    if (step === 'wait') await waitForNextPage(flow)
  }
  return fail(flow, `still not redirected to ${request.redirectUri} after ${MAX_PAGES} pages`)
}
