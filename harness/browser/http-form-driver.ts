/**
 * The HTTP-form login driver: logs in without a browser by following redirects by hand with a
 * cookie jar and submitting the login (and consent) forms it finds. Used when no browser is found
 * or with `--login-driver http`. Every request goes through the run's HttpClient (recorded).
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
import type { HttpClient, HttpResponse } from '../actions/action.ts'
import type { Artifact, Exchange, LoginStep } from '../types.ts'
import { saveHtmlArtifact } from './artifacts.ts'
import { CookieJar, type StoredCookie } from './cookie-jar.ts'
import {
  findButton,
  findControlByLabel,
  findControlBySelector,
  formData,
  parseForms,
  type FormButton,
  type FormControl,
  type HtmlForm,
} from './html-forms.ts'
import { LoginError } from './login-error.ts'
import { attempt, freshProgress, sessionRejected, type LoginProgress } from './login-progress.ts'
import {
  DEFAULT_CONSENT_NAME,
  fillValueRole,
  renderLoginValue,
  type ResolvedLoginRecipe,
} from './login-recipe.ts'
import { isRedirectTo, responseParameters } from './redirect-uri.ts'
import { cookieForHosts, createSessionStore, type SessionStore } from './session-store.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest, LoginDriver } from './types.ts'

export interface HttpFormDriverOptions {
  http: HttpClient
  recipe: ResolvedLoginRecipe
  /** Origin of the loopback callback server: redirects there are fetched so that it sees them. */
  callbackOrigin: string
  /** Where page HTML of a failed login goes when the request names no folder. */
  artifactsDir: string
  /** Requests per authorization before giving up (default 30). */
  maxRequests?: number
  /** The run's stored login session (default: none, every scenario logs in). */
  sessions?: SessionStore<StoredCookie[]>
  /** Hosts whose cookies make up that session (session-store.ts `sessionHosts`). */
  sessionHosts?: string[]
}

const USERNAME_NAMES = /^(username|user_?name|user|login|email|identifier|j_username)$/i
const TEXT_TYPES = new Set(['text', 'email', 'tel', ''])

/** The username field when the recipe's label or selector does not find one. */
function guessUsernameControl(form: HtmlForm): FormControl | undefined {
  const candidates = form.controls.filter(
    (control) => control.tag === 'input' && TEXT_TYPES.has(control.type),
  )
  return candidates.find((control) => USERNAME_NAMES.test(control.name)) ?? candidates[0]
}

function locate(
  form: HtmlForm,
  step: { label?: string; selector?: string },
): FormControl | undefined {
  if (step.label) {
    const byLabel = findControlByLabel(form, step.label)
    if (byLabel) return byLabel
  }
  if (step.selector) return findControlBySelector(form, step.selector)
  return undefined
}

function clickButton(form: HtmlForm, steps: LoginStep[]): FormButton | undefined {
  for (const step of [...steps].reverse()) {
    if (!('click' in step)) continue
    const { name, selector } = step.click
    const selected =
      (name ? findButton(form, name) : undefined) ??
      (selector?.startsWith('#')
        ? form.buttons.find((button) => `#${button.id}` === selector)
        : undefined)
    if (selected) return selected
  }
  return form.buttons[0]
}

/** Fill the login form by the recipe: labels or simple selectors, else by the field's role. */
function fillLoginForm(form: HtmlForm, recipe: ResolvedLoginRecipe): URLSearchParams {
  const fills = new Map<FormControl, string>()
  const fillSteps = recipe.steps.flatMap((step) => ('fill' in step ? [step.fill] : []))
  const withRoles =
    fillSteps.length > 0
      ? fillSteps
      : [{ value: '${{ login.username }}' }, { value: '${{ login.password }}' }]
  for (const fill of withRoles) {
    const role = fillValueRole(fill.value)
    const control =
      locate(form, fill) ??
      (role === 'password' ? form.controls.find((c) => c.type === 'password') : undefined) ??
      (role === 'username' ? guessUsernameControl(form) : undefined)
    if (!control) {
      const what = fill.label
        ? `labelled "${fill.label}"`
        : `matching ${fill.selector ?? '(no selector)'}`
      throw new Error(`the login form has no field ${what}`)
    }
    fills.set(control, renderLoginValue(fill.value, recipe))
  }
  return formData(form, fills, clickButton(form, recipe.steps))
}

function consentMatcher(recipe: ResolvedLoginRecipe): string | RegExp {
  return recipe.consent?.name ?? DEFAULT_CONSENT_NAME
}

interface NextRequest {
  method: string
  url: string
  body?: string
}

function submission(form: HtmlForm, data: URLSearchParams): NextRequest {
  if (form.method === 'POST') return { method: 'POST', url: form.action, body: data.toString() }
  const url = new URL(form.action)
  url.search = data.toString()
  url.hash = ''
  return { method: 'GET', url: url.href }
}

/** A running scenario's cookie jar, whether it started from the stored session, its duty to fill it. */
interface ScenarioJar {
  jar: CookieJar
  seeded: boolean
  /**
   * The run's stored session this jar holds (it started from it, or its login filled the store):
   * other scenarios use it too, so the server may rotate it under this one (login-progress.ts).
   */
  from?: StoredCookie[]
  settle?: (cookies?: StoredCookie[]) => void
}

export function createHttpFormDriver(options: HttpFormDriverOptions): LoginDriver {
  const jars = new Map<string, Promise<ScenarioJar>>()
  const maxRequests = options.maxRequests ?? 30
  const sessions = options.sessions ?? createSessionStore<StoredCookie[]>(false)
  const hosts = options.sessionHosts ?? []

  async function begin(request: BrowserAuthorizeRequest): Promise<ScenarioJar> {
    const jar = new CookieJar()
    if (request.freshLogin) return { jar, seeded: false }
    // The same budget as an authorization: a login in flight elsewhere is worth waiting for.
    const claim = await sessions.claim(Date.now() + 30_000, request.signal)
    if (!claim.session) return { jar, seeded: false, settle: claim.settle }
    jar.restore(claim.session)
    return { jar, seeded: true, from: claim.session }
  }

  return {
    kind: 'http',
    async releaseScenario(scenarioId) {
      const state = await jars.get(scenarioId)?.catch(() => undefined)
      state?.settle?.()
      jars.delete(scenarioId)
    },
    async close() {
      for (const state of jars.values()) void state.then((s) => s.settle?.(), () => {})
      jars.clear()
    },
    async authorize(request: BrowserAuthorizeRequest): Promise<AuthorizeOutcome> {
      let pending = jars.get(request.scenarioId)
      if (!pending) {
        pending = begin(request)
        jars.set(request.scenarioId, pending)
      }
      const state = await pending
      let progress = freshProgress()
      let outcome: AuthorizeOutcome | undefined
      try {
        let tried = await attempt(() => flow(request, state.jar, progress))
        if (state.from && !request.signal?.aborted && sessionRejected(tried, progress)) {
          // The server did not take the stored session: log in from a clean jar, and let this
          // session replace the stored one (login-progress.ts).
          const stale = state.from
          state.jar = new CookieJar()
          state.seeded = false
          state.from = undefined
          progress = freshProgress()
          tried = await attempt(() => flow(request, state.jar, progress))
          const fresh = 'outcome' in tried && tried.outcome.redirected
          state.from = fresh ? session(state.jar) : undefined
          sessions.replace(stale, state.from)
        }
        if ('error' in tried) throw tried.error
        outcome = tried.outcome
        return { ...outcome, sessionReused: state.seeded && !progress.loginSubmitted }
      } finally {
        // Only the scenario's first authorization may fill the store (see session-store.ts).
        const settle = state.settle
        state.settle = undefined
        const loggedIn = outcome?.redirected === true && progress.loginSubmitted
        if (settle) {
          const captured = loggedIn ? session(state.jar) : undefined
          settle(captured)
          if (sessions.enabled) state.from ??= captured
        }
      }
    },
  }

  function session(jar: CookieJar): StoredCookie[] | undefined {
    const cookies = jar.snapshot((cookie) => cookieForHosts(cookie.domain, hosts))
    return cookies.length > 0 ? cookies : undefined
  }

  async function flow(
    request: BrowserAuthorizeRequest,
    jar: CookieJar,
    progress: LoginProgress,
  ): Promise<AuthorizeOutcome> {
    const exchanges: Exchange[] = []
    const artifactsDir = request.artifactsDir ?? options.artifactsDir
    const failure = async (
      message: string,
      page?: string,
      cause?: unknown,
    ): Promise<LoginError> => {
      const artifacts: Artifact[] = []
      if (page !== undefined)
        artifacts.push(await saveHtmlArtifact(artifactsDir, 'login-failure', page))
      return new LoginError(`HTTP-form login driver: ${message}`, { artifacts, exchanges, cause })
    }
    const send = async (next: NextRequest): Promise<HttpResponse> => {
      const headers: Record<string, string> = {
        accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
        'user-agent': 'dcr-conformance (HTTP-form login driver)',
      }
      const cookie = jar.header(next.url)
      if (cookie) headers.cookie = cookie
      if (next.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
      try {
        const { response, exchange } = await options.http.send(
          { method: next.method, url: next.url, headers, body: next.body },
          request.signal,
        )
        exchanges.push(exchange)
        jar.store(next.url, response.headers['set-cookie'])
        return response
      } catch (error) {
        throw await failure(
          `${next.method} ${next.url} failed: ${(error as Error).message}`,
          undefined,
          error,
        )
      }
    }
    /** Deliver a redirect to our own callback server so that it records it like a browser's. */
    const deliver = async (next: NextRequest): Promise<void> => {
      if (!next.url.startsWith(`${options.callbackOrigin}/`)) return
      const url = new URL(next.url)
      url.hash = ''
      await send({ ...next, url: url.href })
    }

    let next: NextRequest = { method: 'GET', url: request.url }
    let loginSubmitted = false
    let consents = 0
    for (let count = 0; count < maxRequests; count += 1) {
      const response = await send(next)
      const location = response.headers.location
      if (response.status >= 300 && response.status < 400 && location) {
        const target = new URL(location, next.url).href
        if (isRedirectTo(target, request.redirectUri)) {
          await deliver({ method: 'GET', url: target })
          const query = responseParameters(target)
          return {
            url: target,
            redirected: true,
            query,
            driver: 'http',
            exchanges,
            artifacts: [],
          }
        }
        next =
          response.status === 307 || response.status === 308
            ? { ...next, url: target }
            : { method: 'GET', url: target }
        continue
      }
      const page = response.text
      const notRedirected = (): AuthorizeOutcome => ({
        url: next.url,
        redirected: false,
        query: {},
        driver: 'http',
        exchanges,
        artifacts: [],
        status: response.status,
        body: page,
      })
      if (!request.login) return notRedirected()
      const forms = parseForms(page, next.url)
      // response_mode=form_post: a self-submitting form that carries the response.
      const postBack = forms.find((form) => isRedirectTo(form.action, request.redirectUri))
      if (postBack) {
        const data = formData(postBack, new Map())
        await deliver(submission(postBack, data))
        const query = Object.fromEntries(data)
        return {
          url: postBack.action,
          redirected: true,
          query,
          driver: 'http',
          exchanges,
          artifacts: [],
        }
      }
      const loginForm = forms.find((form) =>
        form.controls.some((control) => control.type === 'password'),
      )
      if (loginForm) {
        if (loginSubmitted) {
          throw await failure(
            'the login form came back after the credentials were submitted',
            page,
          )
        }
        loginSubmitted = true
        progress.loginSubmitted = true
        progress.interacted = true
        let data: URLSearchParams
        try {
          data = fillLoginForm(loginForm, options.recipe)
        } catch (error) {
          throw await failure((error as Error).message, page, error)
        }
        next = submission(loginForm, data)
        continue
      }
      const consentName = consentMatcher(options.recipe)
      const consent = forms
        .map((form) => ({ form, button: findButton(form, consentName) }))
        .find((candidate) => candidate.button !== undefined)
      if (consent && consents < 3) {
        consents += 1
        progress.interacted = true
        next = submission(consent.form, formData(consent.form, new Map(), consent.button))
        continue
      }
      return notRedirected()
    }
    throw await failure(`no redirect to ${request.redirectUri} after ${maxRequests} requests`)
  }
}
