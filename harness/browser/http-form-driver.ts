/**
 * The HTTP-form login driver: logs in without a browser by following redirects by hand with a
 * cookie jar and submitting the login (and consent) forms it finds. Used when no browser is found
 * or with `--login-driver http`. Every request goes through the run's HttpClient (recorded).
 * The flow of one authorization is http-form-flow.ts; this module keeps each scenario's jar and
 * the run's stored login session.
 */
import type { HttpClient } from '../http/types.ts'
import { CookieJar, type StoredCookie } from './cookie-jar.ts'
import { loginFlow, type FlowOptions } from './http-form-flow.ts'
import { attempt, freshProgress, sessionRejected } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
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

/** A running scenario's cookie jar: from the stored session or not, its duty to fill it. */
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

/** What the driver keeps for the run: the scenarios' jars and the stored session. */
interface DriverState {
  flow: FlowOptions
  jars: Map<string, Promise<ScenarioJar>>
  sessions: SessionStore<StoredCookie[]>
  hosts: string[]
}

export function createHttpFormDriver(options: HttpFormDriverOptions): LoginDriver {
  const driver: DriverState = {
    flow: {
      http: options.http,
      recipe: options.recipe,
      callbackOrigin: options.callbackOrigin,
      artifactsDir: options.artifactsDir,
      maxRequests: options.maxRequests ?? 30,
    },
    jars: new Map(),
    sessions: options.sessions ?? createSessionStore<StoredCookie[]>(false),
    hosts: options.sessionHosts ?? [],
  }
  const { jars } = driver
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
        pending = begin(driver, request)
        jars.set(request.scenarioId, pending)
      }
      return authorize(driver, await pending, request)
    },
  }
}

/** A scenario's jar: from the stored session, unless it logs in fresh or none is stored yet. */
async function begin(driver: DriverState, request: BrowserAuthorizeRequest): Promise<ScenarioJar> {
  const jar = new CookieJar()
  if (request.freshLogin) return { jar, seeded: false }
  // The same budget as an authorization: a login in flight elsewhere is worth waiting for.
  const claim = await driver.sessions.claim(Date.now() + 30_000, request.signal)
  if (!claim.session) return { jar, seeded: false, settle: claim.settle }
  jar.restore(claim.session)
  return { jar, seeded: true, from: claim.session }
}

async function authorize(
  driver: DriverState,
  state: ScenarioJar,
  request: BrowserAuthorizeRequest,
): Promise<AuthorizeOutcome> {
  const { sessions } = driver
  let progress = freshProgress()
  let outcome: AuthorizeOutcome | undefined
  try {
    let tried = await attempt(() => loginFlow(driver.flow, request, state.jar, progress))
    if (state.from && !request.signal?.aborted && sessionRejected(tried, progress)) {
      // The server did not take the stored session: log in from a clean jar, and let this
      // session replace the stored one (login-progress.ts).
      const stale = state.from
      state.jar = new CookieJar()
      state.seeded = false
      state.from = undefined
      progress = freshProgress()
      tried = await attempt(() => loginFlow(driver.flow, request, state.jar, progress))
      const fresh = 'outcome' in tried && tried.outcome.redirected
      state.from = fresh ? session(driver, state.jar) : undefined
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
      const captured = loggedIn ? session(driver, state.jar) : undefined
      settle(captured)
      if (sessions.enabled) state.from ??= captured
    }
  }
}

/** The jar's cookies of the session hosts, as the run stores a login session. */
function session(driver: DriverState, jar: CookieJar): StoredCookie[] | undefined {
  const cookies = jar.snapshot((cookie) => cookieForHosts(cookie.domain, driver.hosts))
  return cookies.length > 0 ? cookies : undefined
}
