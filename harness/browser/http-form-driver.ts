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
import type { LoginProgress } from './login-progress.ts'
import type { ResolvedLoginRecipe } from './login-recipe.ts'
import { authorizeWithSession, beginScenario } from './session-reuse.ts'
import type { ScenarioSession, SessionHolder } from './session-reuse.ts'
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

/** A running scenario's cookie jar, and where it stands with the stored session. */
interface ScenarioJar {
  jar: CookieJar
  session: ScenarioSession<StoredCookie[]>
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
      state?.session.settle?.()
      jars.delete(scenarioId)
    },
    async close() {
      for (const state of jars.values()) void state.then((s) => s.session.settle?.(), () => {})
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
  const state: ScenarioJar = { jar: new CookieJar(), session: { seeded: false } }
  // The same budget as an authorization: a login in flight elsewhere is worth waiting for.
  const deadline = Date.now() + 30_000
  state.session = await beginScenario(driver.sessions, holderOf(driver, state), request, deadline)
  return state
}

/** The scenario's jar as session-reuse.ts holds it; clearing starts a new jar. */
function holderOf(driver: DriverState, state: ScenarioJar): SessionHolder<StoredCookie[]> {
  return {
    restore: async (cookies) => state.jar.restore(cookies),
    clear: async () => void (state.jar = new CookieJar()),
    capture: async () => session(driver, state.jar),
  }
}

function authorize(
  driver: DriverState,
  state: ScenarioJar,
  request: BrowserAuthorizeRequest,
): Promise<AuthorizeOutcome> {
  const run = (progress: LoginProgress) => loginFlow(driver.flow, request, state.jar, progress)
  const holder = holderOf(driver, state)
  return authorizeWithSession(driver.sessions, holder, state.session, request.signal, run)
}

/** The jar's cookies of the session hosts, as the run stores a login session. */
function session(driver: DriverState, jar: CookieJar): StoredCookie[] | undefined {
  const cookies = jar.snapshot((cookie) => cookieForHosts(cookie.domain, driver.hosts))
  return cookies.length > 0 ? cookies : undefined
}
