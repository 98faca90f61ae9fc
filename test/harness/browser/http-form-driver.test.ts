import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { startCallbackServer } from '../../../harness/browser/callback-server.ts'
import { createHttpFormDriver } from '../../../harness/browser/http-form-driver.ts'
import { LoginError } from '../../../harness/browser/login-error.ts'
import { resolveLoginRecipe } from '../../../harness/browser/login-recipe.ts'
import { createHttpClient } from '../../../harness/http/client.ts'
import { startMiniAuthServer } from './support/mini-auth-server.ts'
import { authorizationUrl } from './support/targets.ts'
import { forFile, tempFolderForFile } from '../../support/for-file.ts'

const [reference, oidcProvider, callback, http] = await Promise.all([
  forFile(startMiniAuthServer()),
  forFile(startMiniAuthServer({ style: 'oidc-provider' })),
  forFile(startCallbackServer()),
  forFile(createHttpClient()),
])
const artifactsDir = await tempFolderForFile('brw-http-')

describe('HTTP-form login driver', () => {
  const driverFor = (login = { username: 'alice', password: 'alice-password' }) =>
    createHttpFormDriver({
      http,
      recipe: resolveLoginRecipe(login),
      callbackOrigin: callback.origin,
      artifactsDir,
    })

  it('logs in on the reference-style page and delivers the redirect to the loopback server', async () => {
    const redirectUri = callback.urlFor('http/reference')
    const afterId = callback.lastHitId()
    const outcome = await driverFor().authorize({
      url: authorizationUrl(reference, { redirect_uri: redirectUri, state: 'st-1' }),
      redirectUri,
      login: true,
      scenarioId: 'http/reference',
    })
    expect(outcome).toMatchObject({ redirected: true, driver: 'http', query: { state: 'st-1' } })
    expect(reference.codes.has(outcome.query.code ?? '')).toBe(true)
    // authorize (login page), POST /login (302 to callback), GET callback
    expect(
      outcome.exchanges.map((e) => `${e.request.method} ${new URL(e.request.url).pathname}`),
    ).toEqual(['GET /authorize', 'POST /login', 'GET /callback/http.reference'])
    expect(outcome.exchanges[1]?.request.body).toContain('username=alice')
    const hit = await callback.waitForHit({
      path: '/callback/http.reference',
      afterId,
      timeoutMs: 1000,
    })
    expect(hit?.query.code).toBe(outcome.query.code)
  })

  it('handles oidc-provider style interactions: path-scoped cookies, login/password fields, consent', async () => {
    const redirectUri = 'https://client.example.test/cb'
    const outcome = await driverFor().authorize({
      url: authorizationUrl(oidcProvider, {
        redirect_uri: redirectUri,
        state: 's',
        response_mode: 'fragment',
      }),
      redirectUri,
      login: true,
      scenarioId: 'http/oidc-provider',
    })
    expect(outcome.redirected).toBe(true)
    expect(outcome.url.startsWith('https://client.example.test/cb#code=')).toBe(true)
    expect(outcome.query.state).toBe('s')
    // the foreign redirect URI is never fetched
    expect(
      outcome.exchanges.some((e) => e.request.url.startsWith('https://client.example.test')),
    ).toBe(false)
    expect(outcome.exchanges.map((e) => new URL(e.request.url).pathname)).toContain(
      `/consent/${/interaction\/(\w+)/.exec(outcome.exchanges[1]?.request.url ?? '')?.[1]}`,
    )
  })

  it('keeps the session per scenario: a second request redirects without a login form', async () => {
    const driver = driverFor()
    const redirectUri = callback.urlFor('http/session')
    const url = authorizationUrl(reference, { redirect_uri: redirectUri })
    await driver.authorize({ url, redirectUri, login: true, scenarioId: 'http/session' })
    const again = await driver.authorize({
      url,
      redirectUri,
      login: true,
      scenarioId: 'http/session',
    })
    expect(again.redirected).toBe(true)
    expect(again.exchanges[0]?.response?.status).toBe(302)
    await driver.releaseScenario('http/session')
    const fresh = await driver.authorize({
      url,
      redirectUri,
      login: false,
      scenarioId: 'http/session',
    })
    expect(fresh).toMatchObject({ redirected: false, status: 200 })
    expect(fresh.body).toContain('Username')
  })

  it('reports a page that does not redirect with its status and HTML', async () => {
    const redirectUri = callback.urlFor('http/error')
    const outcome = await driverFor().authorize({
      url: authorizationUrl(reference, { client_id: 'unknown', redirect_uri: redirectUri }),
      redirectUri,
      login: true,
      scenarioId: 'http/error',
    })
    expect(outcome).toMatchObject({ redirected: false, status: 400, query: {} })
    expect(outcome.body).toContain('unknown client')
  })

  it('captures an error redirect (prompt=none without a session)', async () => {
    const redirectUri = callback.urlFor('http/prompt-none')
    const outcome = await driverFor().authorize({
      url: authorizationUrl(reference, { redirect_uri: redirectUri, prompt: 'none', state: 'q' }),
      redirectUri,
      login: true,
      scenarioId: 'http/prompt-none',
    })
    expect(outcome).toMatchObject({
      redirected: true,
      query: { error: 'login_required', state: 'q' },
    })
  })

  it('captures a form_post response', async () => {
    const redirectUri = callback.urlFor('http/form-post')
    const afterId = callback.lastHitId()
    const outcome = await driverFor().authorize({
      url: authorizationUrl(reference, {
        redirect_uri: redirectUri,
        response_mode: 'form_post',
        state: 'fp',
      }),
      redirectUri,
      login: true,
      scenarioId: 'http/form-post',
    })
    expect(outcome).toMatchObject({ redirected: true, query: { state: 'fp' } })
    const hit = await callback.waitForHit({
      path: '/callback/http.form-post',
      afterId,
      timeoutMs: 1000,
    })
    expect(hit?.form?.code).toBe(outcome.query.code)
  })

  it('fails with the page HTML as an artifact when the credentials are refused', async () => {
    const redirectUri = callback.urlFor('http/wrong')
    const attempt = driverFor({ username: 'alice', password: 'wrong' }).authorize({
      url: authorizationUrl(reference, { redirect_uri: redirectUri }),
      redirectUri,
      login: true,
      scenarioId: 'http/wrong',
    })
    const error = await attempt.then(
      () => undefined,
      (caught: unknown) => caught,
    )
    expect(error).toBeInstanceOf(LoginError)
    const failure = error as LoginError
    expect(failure.code).toBe('E_LOGIN')
    expect(failure.message).toContain('login form came back')
    expect(failure.artifacts).toHaveLength(1)
    expect(failure.artifacts[0]?.contentType).toBe('text/html')
    expect(await readFile(failure.artifacts[0]?.path ?? '', 'utf8')).toContain(
      'Invalid username or password',
    )
    expect(failure.exchanges).toHaveLength(2)
  })
})
