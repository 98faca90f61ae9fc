/**
 * One authorization without a browser (http-form-driver.ts): follow redirects by hand with the
 * scenario's cookie jar, answer each page (a form_post response, the login form, a consent form)
 * until the authorization server redirects to the client's redirect URI.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1
 */
import type { HttpClient, HttpResponse } from '../http/types.ts'
import type { Artifact, Exchange } from '../model/result.ts'
import { saveHtmlArtifact } from './artifacts.ts'
import type { CookieJar } from './cookie-jar.ts'
import { findButton, formData, parseForms, type HtmlForm } from './html-forms.ts'
import { consentMatcher, fillLoginForm, submission, type NextRequest } from './http-form-fill.ts'
import { LoginError } from './login-error.ts'
import type { LoginProgress } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { isRedirectTo, responseParameters } from '../oauth/redirect-uri.ts'
import type { AuthorizeOutcome, BrowserAuthorizeRequest } from './types.ts'
import { onCallbackServer } from './callback-server.ts'

export interface FlowOptions {
  http: HttpClient
  recipe: ResolvedLoginRecipe
  /** Origin of the loopback callback server: redirects there are fetched so that it sees them. */
  callbackOrigin: string
  /** Where page HTML of a failed login goes when the request names no folder. */
  artifactsDir: string
  /** Requests per authorization before giving up. */
  maxRequests: number
}

/** One flow's state: what it sent, and what it did on the pages. */
interface Flow {
  options: FlowOptions
  request: BrowserAuthorizeRequest
  jar: CookieJar
  progress: LoginProgress
  exchanges: Exchange[]
  /** The credentials went out in this flow (a second login form is a failed login). */
  loginSubmitted: boolean
  consents: number
}

/** What a response leads to: the next request, or the end of the flow. */
type Step = { next: NextRequest } | { outcome: AuthorizeOutcome }

/** Consent pages answered per flow before the page counts as not redirected. */
const MAX_CONSENTS = 3

export async function loginFlow(
  options: FlowOptions,
  request: BrowserAuthorizeRequest,
  jar: CookieJar,
  progress: LoginProgress,
): Promise<AuthorizeOutcome> {
  const flow: Flow = {
    options,
    request,
    jar,
    progress,
    exchanges: [],
    loginSubmitted: false,
    consents: 0,
  }
  let next: NextRequest = { method: 'GET', url: request.url }
  for (let count = 0; count < options.maxRequests; count += 1) {
    const response = await send(flow, next)
    const location = response.headers.location
    const redirect = response.status >= 300 && response.status < 400 && location
    const step = redirect
      ? await followRedirect(flow, next, response.status, location)
      : await answerPage(flow, next, response)
    if ('outcome' in step) return step.outcome
    next = step.next
  }
  const tried = `${options.maxRequests} requests`
  throw await failure(flow, `no redirect to ${request.redirectUri} after ${tried}`)
}

async function followRedirect(
  flow: Flow,
  previous: NextRequest,
  status: number,
  location: string,
): Promise<Step> {
  const target = new URL(location, previous.url).href
  if (isRedirectTo(target, flow.request.redirectUri)) {
    await deliver(flow, { method: 'GET', url: target })
    return { outcome: redirected(flow, target, responseParameters(target)) }
  }
  // 307 and 308 repeat the request as it was (RFC 9110 §15.4.8, §15.4.9).
  const repeat = status === 307 || status === 308
  return { next: repeat ? { ...previous, url: target } : { method: 'GET', url: target } }
}

/** A page: a form_post response, the login form, a consent form, or the end (not redirected). */
async function answerPage(flow: Flow, current: NextRequest, response: HttpResponse): Promise<Step> {
  const page = response.text
  const notRedirected: Step = {
    outcome: {
      url: current.url,
      redirected: false,
      query: {},
      driver: 'http',
      exchanges: flow.exchanges,
      artifacts: [],
      status: response.status,
      body: page,
    },
  }
  if (!flow.request.login) return notRedirected
  const forms = parseForms(page, current.url)
  // response_mode=form_post: a self-submitting form that carries the response.
  const postBack = forms.find((form) => isRedirectTo(form.action, flow.request.redirectUri))
  if (postBack) {
    const data = formData(postBack, new Map())
    await deliver(flow, submission(postBack, data))
    return { outcome: redirected(flow, postBack.action, Object.fromEntries(data)) }
  }
  const loginForm = forms.find((form) => form.controls.some((c) => c.type === 'password'))
  if (loginForm) return { next: await submitLogin(flow, loginForm, page) }
  const consentName = consentMatcher(flow.options.recipe)
  const consent = forms
    .map((form) => ({ form, button: findButton(form, consentName) }))
    .find((candidate) => candidate.button !== undefined)
  if (!consent || flow.consents >= MAX_CONSENTS) return notRedirected
  flow.consents += 1
  flow.progress.interacted = true
  return { next: submission(consent.form, formData(consent.form, new Map(), consent.button)) }
}

async function submitLogin(flow: Flow, form: HtmlForm, page: string): Promise<NextRequest> {
  if (flow.loginSubmitted) {
    const message = 'the login form came back after the credentials were submitted'
    throw await failure(flow, message, page)
  }
  flow.loginSubmitted = true
  flow.progress.loginSubmitted = true
  flow.progress.interacted = true
  try {
    return submission(form, fillLoginForm(form, flow.options.recipe))
  } catch (error) {
    throw await failure(flow, (error as Error).message, page, error)
  }
}

function redirected(flow: Flow, url: string, query: Record<string, string>): AuthorizeOutcome {
  return { url, redirected: true, query, driver: 'http', exchanges: flow.exchanges, artifacts: [] }
}

/** One request through the run's HttpClient (recorded), with the jar's cookies. */
async function send(flow: Flow, next: NextRequest): Promise<HttpResponse> {
  const headers: Record<string, string> = {
    accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
    'user-agent': 'dcr-conformance (HTTP-form login driver)',
  }
  const cookie = flow.jar.header(next.url)
  if (cookie) headers.cookie = cookie
  if (next.body !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
  try {
    const { response, exchange } = await flow.options.http.send(
      { method: next.method, url: next.url, headers, body: next.body },
      flow.request.signal,
    )
    flow.exchanges.push(exchange)
    flow.jar.store(next.url, response.headers['set-cookie'])
    return response
  } catch (error) {
    const message = `${next.method} ${next.url} failed: ${(error as Error).message}`
    throw await failure(flow, message, undefined, error)
  }
}

/** Deliver a redirect to our own callback server so that it records it like a browser's. */
async function deliver(flow: Flow, next: NextRequest): Promise<void> {
  if (!onCallbackServer({ origin: flow.options.callbackOrigin }, next.url)) return
  const url = new URL(next.url)
  url.hash = ''
  // A redirect URI may carry userinfo (a near miss the server should have refused): our own
  // server needs none, and the HTTP client would not send it.
  url.username = ''
  url.password = ''
  await send(flow, { ...next, url: url.href })
}

/** A failed login, with the page it stopped on (saved as an artifact) and what was sent. */
async function failure(
  flow: Flow,
  message: string,
  page?: string,
  cause?: unknown,
): Promise<LoginError> {
  const artifacts: Artifact[] = []
  const artifactsDir = flow.request.artifactsDir ?? flow.options.artifactsDir
  if (page !== undefined) {
    artifacts.push(await saveHtmlArtifact(artifactsDir, 'login-failure', page))
  }
  const { exchanges } = flow
  return new LoginError(`HTTP-form login driver: ${message}`, { artifacts, exchanges, cause })
}
