/**
 * Log in once, reuse the session: with both login drivers, the first scenario logs in, later
 * scenarios start from its session (no login page, `sessionReused`), a `freshLogin` scenario
 * logs in again, and with reuse off every scenario logs in.
 */
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { createHttpFormDriver } from '../../../harness/browser/http-form-driver.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { createPlaywrightDriver } from '../../../harness/browser/playwright-driver.ts'
import { createSessionStore, sessionHosts } from '../../../harness/browser/session-store.ts'
import type { LoginDriver } from '../../../harness/browser/types.ts'
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
