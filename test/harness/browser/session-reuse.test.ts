/**
 * Log in once, reuse the session: with both login drivers, the first scenario logs in, later
 * scenarios start from its session (no login page, `sessionReused`), a `freshLogin` scenario
 * logs in again, and with reuse off every scenario logs in. Then the steps both drivers share
 * (harness/browser/session-reuse.ts), on a holder of one string: a session the server did not
 * take is dropped, and the login after it replaces it in the store.
 */
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { createHttpFormDriver } from '../../../harness/browser/http-form-driver.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import type { LoginProgress } from '../../../harness/browser/login-progress.ts'
import { createPlaywrightDriver } from '../../../harness/browser/playwright-driver.ts'
import {
  authorizeWithSession,
  beginScenario,
  type ScenarioSession,
  type SessionHolder,
} from '../../../harness/browser/session-reuse.ts'
import { createSessionStore, sessionHosts } from '../../../harness/browser/session-store.ts'
import type { AuthorizeOutcome, LoginDriver } from '../../../harness/browser/types.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { startMiniAuthServer } from './support/mini-auth-server.ts'
import { authorizationUrl, miniTarget } from './support/targets.ts'
import { launchTestChromium } from './support/chromium.ts'
import { forFile, tempFolderForFile } from '../../support/for-file.ts'

const credentials = { username: 'alice', password: 'alice-password' }

const [browser, server, callback, http] = await Promise.all([
  forFile(launchTestChromium()),
  forFile(startMiniAuthServer()),
  forFile(startCallbackServer()),
  forFile(createHttpClient()),
])
const artifactsDir = await tempFolderForFile('session-reuse-')

describe('session reuse', () => {
  const drivers: Record<string, (reuse: boolean) => LoginDriver> = {
    browser: (reuse) =>
      createPlaywrightDriver(browser, {
        recipe: resolveLoginRecipe(credentials),
        callback,
        target: miniTarget(server),
        ignoreHttpsErrors: false,
        artifactsDir,
        timeoutMs: 15_000,
        stepTimeoutMs: 5_000,
        sessions: createSessionStore(reuse),
      }),
    http: (reuse) =>
      createHttpFormDriver({
        http,
        recipe: resolveLoginRecipe(credentials),
        callbackOrigin: callback.origin,
        artifactsDir,
        sessions: createSessionStore(reuse),
        sessionHosts: sessionHosts(miniTarget(server)),
      }),
  }

  /** One scenario's authorization, then its end; what it did at the server. */
  async function scenario(driver: LoginDriver, id: string, freshLogin = false) {
    const redirectUri = callback.urlFor(id)
    const before = server.requests.length
    const outcome = await driver.authorize({
      url: authorizationUrl(server, { redirect_uri: redirectUri, state: id }),
      redirectUri,
      login: true,
      scenarioId: id,
      ...(freshLogin ? { freshLogin: true } : {}),
    })
    await driver.releaseScenario(id)
    expect(outcome).toMatchObject({ redirected: true, query: { state: id } })
    expect(server.codes.has(outcome.query.code ?? '')).toBe(true)
    const loggedIn = server.requests.slice(before).includes('POST /login')
    return { loggedIn, reused: outcome.sessionReused }
  }

  for (const kind of ['browser', 'http'] as const) {
    it(`${kind}: logs in once, then starts from that session; a fresh-login scenario logs in`, async () => {
      const driver = drivers[kind]!(true)
      try {
        expect(await scenario(driver, `${kind}/first`)).toEqual({ loggedIn: true, reused: false })
        expect(await scenario(driver, `${kind}/second`)).toEqual({ loggedIn: false, reused: true })
        expect(await scenario(driver, `${kind}/fresh`, true)).toEqual({ loggedIn: true, reused: false })
        expect(await scenario(driver, `${kind}/third`)).toEqual({ loggedIn: false, reused: true })
      } finally {
        await driver.close()
      }
    })

    it(`${kind}: with reuse off, every scenario logs in (nothing leaks between scenarios)`, async () => {
      const driver = drivers[kind]!(false)
      try {
        for (const id of ['one', 'two', 'three'])
          expect(await scenario(driver, `${kind}/off-${id}`)).toEqual({ loggedIn: true, reused: false })
      } finally {
        await driver.close()
      }
    })
  }
})

describe('the steps both drivers share', () => {
  /** A server that knows one session at a time; a login there gives a new one. */
  function world(session: string) {
    const server = { session, logins: 0 }
    let held: string | undefined
    const holder: SessionHolder<string> = {
      restore: async (value) => void (held = value),
      clear: async () => void (held = undefined),
      capture: async () => held,
    }
    /** One authorization: an unknown session ends on an error page after an interaction. */
    const run = async (progress: LoginProgress): Promise<AuthorizeOutcome> => {
      progress.interacted = true
      if (held === undefined) {
        progress.loginSubmitted = true
        held = `s${++server.logins}`
        server.session = held
      }
      const redirected = held === server.session
      return { redirected } as AuthorizeOutcome
    }
    return { server, holder, run }
  }

  type Run = (progress: LoginProgress, retry: boolean) => Promise<AuthorizeOutcome>

  /** A store with the session of a first scenario's login (`s1`), and the steps on it. */
  async function afterFirstLogin() {
    const { server, holder, run } = world('s0')
    const store = createSessionStore<string>(true)
    const begin = (request: { freshLogin?: boolean } = {}) =>
      beginScenario(store, holder, request, Date.now() + 1000)
    const authorize = (state: ScenarioSession<string>, signal?: AbortSignal, tried: Run = run) =>
      authorizeWithSession(store, holder, state, signal, tried)
    const first = await authorize(await begin())
    return { server, holder, run, begin, authorize, first }
  }

  /** `run`, noting for each try whether it was the second. */
  const noting = (run: Run, tries: boolean[]): Run => (progress, retry) => {
    tries.push(retry)
    return run(progress, retry)
  }

  it('drops a stored session the server did not take, logs in, and stores the new one', async () => {
    const { server, run, begin, authorize, first } = await afterFirstLogin()
    expect(first).toMatchObject({ redirected: true, sessionReused: false })
    // The server forgets that session (it rotates sessions, say).
    server.session = 'elsewhere'
    const state = await begin()
    expect(state).toMatchObject({ seeded: true, from: 's1' })
    const tries: boolean[] = []
    const again = await authorize(state, undefined, noting(run, tries))
    expect(tries).toEqual([false, true])
    expect(again).toMatchObject({ redirected: true, sessionReused: false })
    expect(state).toMatchObject({ seeded: false, from: 's2' })
    // The next scenario starts from the replacement.
    expect(await begin()).toMatchObject({ from: 's2' })
  })

  it('keeps the stored session when the server takes it, and a fresh-login scenario never claims it', async () => {
    const { begin, authorize } = await afterFirstLogin()
    expect(await authorize(await begin())).toMatchObject({ redirected: true, sessionReused: true })
    expect(await begin({ freshLogin: true })).toEqual({ seeded: false })
  })

  it('does not try again once the signal is aborted', async () => {
    const { server, run, begin, authorize } = await afterFirstLogin()
    server.session = 'elsewhere'
    const tries: boolean[] = []
    const outcome = await authorize(await begin(), AbortSignal.abort(), noting(run, tries))
    expect(tries).toEqual([false])
    expect(outcome.redirected).toBe(false)
  })

  it('settles the store with nothing when the first login throws', async () => {
    // The next scenario then logs in itself at once, rather than waiting a minute for a login
    // that ended.
    const { holder } = world('s0')
    const empty = createSessionStore<string>(true)
    const failing = await beginScenario(empty, holder, {}, Date.now() + 1000)
    const error = await authorizeWithSession(empty, holder, failing, undefined, async () => {
      throw new Error('login form not found')
    }).catch((caught: unknown) => caught)
    expect(error).toEqual(new Error('login form not found'))
    // Settled: the next claim resolves before any timer could fire (no clock in the test).
    const next = beginScenario(empty, holder, {}, Date.now() + 60_000)
    const first = await Promise.race([
      next.then(() => 'claimed'),
      new Promise((resolve) => setImmediate(() => resolve('waiting'))),
    ])
    expect(first).toBe('claimed')
    expect(await next).toMatchObject({ seeded: false })
  })

  it('tries again from no cookies when the try on the stored session throws', async () => {
    const { run, begin, authorize } = await afterFirstLogin()
    const state = await begin()
    const outcome = await authorize(state, undefined, (progress, retry) => {
      if (!retry) throw new Error('400 on the stored session')
      return run(progress)
    })
    expect(outcome).toMatchObject({ redirected: true, sessionReused: false })
    expect(state).toMatchObject({ seeded: false, from: 's2' })
  })
})
